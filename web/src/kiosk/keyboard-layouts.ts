/**
 * On-screen keyboard layouts, one per language of the kiosk, in simple-keyboard's format (rows of
 * space-separated keys, `{name}` for function keys): the letter arrangement people of that language
 * know (AZERTY, QWERTZ, QWERTY) and the accented letters they type, digits on top; a symbols layer for
 * passwords and Wi-Fi keys.
 */
import type { Lang } from '../i18n.ts';

export interface Layout {
  default: string[];
  shift: string[];
  sym: string[];
}

const DIGITS = '1 2 3 4 5 6 7 8 9 0 {bksp}';
const BOTTOM = '{sym} {space} {enter} {hide}';
const SYM = [DIGITS, '! @ # $ % & * ( ) _', "+ = / \\ ; : ' \" ?", '€ £ ` ~ [ ] < > ^ | -', '{abc} {space} {enter} {hide}'];

/** Letter rows (lower case); the shift layer is their upper case. */
const LETTERS: Record<Lang, string[]> = {
  en: ['q w e r t y u i o p', 'a s d f g h j k l', '{shift} z x c v b n m , . -'],
  fr: ['é è ê à ç ù â ô î ë œ', 'a z e r t y u i o p', 'q s d f g h j k l m', '{shift} w x c v b n , . -'],
  es: ['á é í ó ú ü ¿ ¡', 'q w e r t y u i o p', 'a s d f g h j k l ñ', '{shift} z x c v b n m , . -'],
  de: ['q w e r t z u i o p ü', 'a s d f g h j k l ö ä', '{shift} y x c v b n m ß , . -'],
  it: ['à è é ì ò ù', 'q w e r t y u i o p', 'a s d f g h j k l', '{shift} z x c v b n m , . -'],
  pt: ['á à â ã é ê í ó ô õ ú', 'q w e r t y u i o p', 'a s d f g h j k l ç', '{shift} z x c v b n m , . -'],
};

function upper(row: string): string {
  return row
    .split(' ')
    .map((k) => (k.startsWith('{') || k === 'ß' ? k : k.toLocaleUpperCase()))
    .join(' ');
}

export function layoutFor(lang: Lang): Layout {
  const rows = LETTERS[lang];
  return {
    default: [DIGITS, ...rows, BOTTOM],
    shift: [DIGITS, ...rows.map(upper), BOTTOM],
    sym: SYM,
  };
}
