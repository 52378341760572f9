/** The hotspot's fixed choices, apart from the settings' checks so the API's wire schemas can name them. */

export const BACKENDS = ['auto', 'hostapd', 'networkmanager', 'wired'] as const;

export const HOTSPOT_MODES = ['hotspot', 'sinkhole'] as const;
