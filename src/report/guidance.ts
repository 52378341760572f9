/**
 * What a reader is told to do after a check, in one place: the kiosk's result, the HTML report (and
 * so the PDF) and the device report all render this list, each in its own markup, so a survivor is
 * never told one thing on screen and another on paper.
 *
 * This file imports nothing at run time: the web bundle imports it as it is, beside the server.
 * Steps are message keys; each renderer words them with its own catalogue lookup.
 */

/** The verdict levels, spelt out here rather than imported so the web can use this file alone. */
export type GuidanceLevel = 'high' | 'moderate' | 'low' | 'none' | 'inconclusive';

/**
 * A traffic check (a recording of the phone's traffic), a device check (its apps and settings), or
 * both of one phone read together (combined).
 */
export type CheckKind = 'traffic' | 'device' | 'combined';

export interface GuidanceStep {
  /** Stable name of the step, the same in every language (tests and markup use it). */
  id: string;
  title: string;
  text: string;
}

export interface HelpBlock {
  kind: 'help';
  title: 'guidance.help.title';
  text: 'guidance.help.text';
  /** The service's own helplines; empty when it set none, and the catalogue's examples are shown. */
  helplines: string[];
  /** Shown when `helplines` is empty: one example helpline a line. */
  examples: 'guidance.help.numbers';
  /** The service's own contact, or null. */
  contact: string | null;
  contactLabel: 'report.help.service';
}

export type GuidanceBlock<L> =
  | { kind: 'steps'; heading: 'guidance.heading'; intro: 'guidance.intro'; steps: GuidanceStep[] }
  | HelpBlock
  | { kind: 'limits'; heading: 'report.limits.heading'; items: L[] };

export interface GuidanceInput<L> {
  level: GuidanceLevel;
  kind: CheckKind;
  /** The service's help for the report's language (admin settings), or null for the catalogue's examples. */
  help: { contact: string; helplines: string[] } | null;
  /** Combined only: the traffic half's own level; when it could not say, the steps ask to record again. */
  trafficLevel?: GuidanceLevel;
  /** What the check could not see, from the verdict; each renderer words its own kind of item. */
  limits: readonly L[];
}

const step = (id: string, title = `guidance.${id}.title`, text = `guidance.${id}.text`): GuidanceStep => ({ id, title, text });

/**
 * The steps per kind and level. Where the kiosk and the printed report used to differ, each list
 * keeps every step either had: a worrying result now also says "if you still feel watched" on paper,
 * a reassuring one also says to keep the report. "If you still feel watched" is in every list: no
 * result, however clean, may talk a survivor out of what they notice.
 */
const TRAFFIC: Record<GuidanceLevel, GuidanceStep[]> = {
  high: [step('noRush'), step('plan'), step('evidence'), step('device'), step('trust')],
  moderate: [step('noRush'), step('plan'), step('evidence'), step('device'), step('trust')],
  low: [step('trust'), step('plan'), step('evidence')],
  none: [step('trust'), step('plan'), step('evidence')],
  inconclusive: [step('recordAgain'), step('trust'), step('plan'), step('evidence')],
};

// A device check reads the phone over USB: its own wording for not uninstalling in a hurry, a support
// service in place of the traffic check's safety plan, and USB debugging switched off afterwards.
const noRushDevice = step('noRush', 'guidance.noRush.title', 'device.guidance.noRush.text');
const support = step('support', 'device.guidance.support.title', 'device.guidance.support.text');
const devOff = step('devOff', 'device.guidance.devOff.title', 'device.guidance.devOff.text');
const DEVICE: Record<GuidanceLevel, GuidanceStep[]> = {
  high: [noRushDevice, support, step('evidence'), step('device'), step('trust'), devOff],
  moderate: [noRushDevice, support, step('evidence'), step('device'), step('trust'), devOff],
  low: [devOff, step('trust'), support, step('evidence')],
  none: [devOff, step('trust'), support, step('evidence')],
  inconclusive: [devOff, step('trust'), support, step('evidence')],
};

// Both checks of one phone: the device check's care over removing apps and switching USB debugging
// off, the traffic check's safety plan; recording again only when the traffic half could not say.
const COMBINED: Record<GuidanceLevel, GuidanceStep[]> = {
  high: [noRushDevice, step('plan'), step('evidence'), step('device'), step('trust'), devOff],
  moderate: [noRushDevice, step('plan'), step('evidence'), step('device'), step('trust'), devOff],
  low: [devOff, step('trust'), step('plan'), step('evidence')],
  none: [devOff, step('trust'), step('plan'), step('evidence')],
  inconclusive: [devOff, step('trust'), step('plan'), step('evidence')],
};

function stepsFor(input: Pick<GuidanceInput<unknown>, 'kind' | 'level' | 'trafficLevel'>): GuidanceStep[] {
  if (input.kind === 'traffic') return TRAFFIC[input.level];
  if (input.kind === 'device') return DEVICE[input.level];
  const steps = COMBINED[input.level];
  return input.level === 'inconclusive' && input.trafficLevel === 'inconclusive' ? [step('recordAgain'), ...steps] : steps;
}

/** The guidance blocks, in the order every renderer shows them: what to do now, where to find help, the limits. */
export function guidance<L>(input: GuidanceInput<L>): GuidanceBlock<L>[] {
  const steps = stepsFor(input).map((s) => ({ ...s }));
  const contact = input.help?.contact.trim() ? input.help.contact.trim() : null;
  return [
    { kind: 'steps', heading: 'guidance.heading', intro: 'guidance.intro', steps },
    {
      kind: 'help',
      title: 'guidance.help.title',
      text: 'guidance.help.text',
      helplines: input.help ? input.help.helplines.filter((l) => l.trim().length > 0) : [],
      examples: 'guidance.help.numbers',
      contact,
      contactLabel: 'report.help.service',
    },
    { kind: 'limits', heading: 'report.limits.heading', items: [...input.limits] },
  ];
}

/** The helplines a help block shows: the service's own, else the catalogue's examples, one a line. */
export function helplineLines(block: HelpBlock, tr: (key: string) => string): string[] {
  if (block.helplines.length > 0) return block.helplines;
  return tr(block.examples)
    .split('\n')
    .filter((l) => l.trim().length > 0);
}
