import type { DetectionSettings } from '../detect/config-file.js';
import type { IndicatorCache } from '../server/indicators.js';
import { AdbClient, ownAdbKeys } from './adb/client.js';
import { DeviceChecks } from './checks.js';

/**
 * The device checks of `quietcheck serve`, wired to the server's indicator lists and detection
 * settings. adb is Debian's, with its own default server (or $ANDROID_ADB_SERVER_PORT).
 */
export async function deviceChecksFor(deps: {
  dataDir: string;
  indicators: IndicatorCache;
  detection: DetectionSettings;
  retentionDays: () => number;
  now: () => Date;
}): Promise<DeviceChecks> {
  return new DeviceChecks({
    dataDir: deps.dataDir,
    adb: new AdbClient(),
    sources: () => deps.indicators.get(),
    ownAdbKeys: () => ownAdbKeys(),
    disabledRules: () => deps.detection.current().config.disabled,
    retentionDays: deps.retentionDays,
    now: deps.now,
  });
}
