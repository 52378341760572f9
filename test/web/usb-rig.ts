/**
 * What the browser tests of the USB cable screens run against: a real `quietcheck serve` with Echap's
 * indicators, Debian's real adb server on a port of its own, an emulated phone connected to it, and a
 * browser. Everything is removed by `close`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AdbClient } from '../../src/device/adb/client.js';
import { EmulatedPhone, type EmulatorOptions } from '../helpers/adb-device.js';
import { INDICATORS } from '../helpers/paths.js';
import { importIndicators } from '../server/helpers.js';
import { launch, serve, type Served } from './harness.js';

export interface UsbRig {
  srv: Served;
  browser: Browser;
  adb: AdbClient;
  phone: EmulatedPhone;
  dir: string;
  close(): Promise<void>;
}

export async function usbRig(prefix: string, phone: EmulatorOptions): Promise<UsbRig> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const home = join(dir, 'home');
  mkdirSync(home);
  const env = { HOME: home, ANDROID_SDK_HOME: home, ANDROID_ADB_SERVER_PORT: String(20000 + Math.floor(Math.random() * 20000)) };
  const adb = new AdbClient({ env: { ...process.env, ...env } });
  const dataDir = join(dir, 'data');
  await importIndicators(dataDir, [join(INDICATORS, 'stalkerware-indicators', 'ioc.yaml')]);
  const rig: Partial<UsbRig> = { dir, adb };
  const close = async (): Promise<void> => {
    await rig.browser?.close();
    await rig.srv?.close();
    await adb.killServer();
    await rig.phone?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    rig.srv = await serve({ dataDir, env });
    rig.browser = await launch();
    rig.phone = new EmulatedPhone(phone);
    await rig.phone.listen();
    await adb.connect(rig.phone.serial);
  } catch (e) {
    await close();
    throw e;
  }
  return { ...(rig as Omit<UsbRig, 'close'>), close };
}
