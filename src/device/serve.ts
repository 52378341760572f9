import type { CheckManager } from '../checks/manager.js';
import type { DetectionSettings } from '../detect/config-file.js';
import type { IndicatorCache } from '../checks/indicator-cache.js';
import type { CheckStore } from '../store/store.js';
import { AdbClient, ownAdbKeys } from './adb/client.js';
import { DeviceChecks } from './checks.js';

/**
 * The device checks of `quietcheck serve`, wired to the server's indicator lists and detection
 * settings, its checks in the same store as traffic checks. adb is Debian's, with its own default server (or $ANDROID_ADB_SERVER_PORT).
 */
export async function deviceChecksFor(deps: {
  dataDir: string;
  indicators: IndicatorCache;
  store: CheckStore;
  manager: CheckManager;
  detection: DetectionSettings;
  now: () => Date;
}): Promise<DeviceChecks> {
  return new DeviceChecks({
    dataDir: deps.dataDir,
    store: deps.store,
    manager: deps.manager,
    adb: new AdbClient(),
    sources: () => deps.indicators.get(),
    ownAdbKeys: () => ownAdbKeys(),
    disabledRules: () => deps.detection.current().config.disabled,
    now: deps.now,
  });
}
