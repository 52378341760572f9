/** quietcheck's hotspot: what other parts (the server, `doctor`) use. */
export { chooseHotspotBackend, HotspotBusyError, HotspotService, type HotspotMode, type HotspotSession, type HotspotStatus, type JoinedDevice } from './service.js';
export { HotspotConfigError, hostapdConf, hostapdConfProblems } from './hostapd.js';
export { HotspotSystemError } from './run.js';
export { DEFAULT_HOTSPOT, HOTSPOT_SETTING, readHotspotSettings, type Backend, type HotspotSettings } from './settings.js';
export { joinWifi, listUplinks, uplinkStatus } from './uplinks.js';
export { wifiQrSvg, wifiQrText } from './qr.js';
export { TABLE_FAMILY, TABLE_NAME } from './nft.js';
