/** One device analysis in a process of its own: prints seconds and peak RSS as JSON. */
import { join } from 'node:path';
import { analyzeAcquisition } from '../src/device/analyze.js';
import { renderDeviceJson } from '../src/device/report/json.js';
import { loadIndicatorFiles } from '../src/analysis/indicator-sources.js';
import { INDICATORS } from '../test/helpers/paths.js';

const dir = process.argv[2]!;
const echap = join(INDICATORS, 'stalkerware-indicators');
const l0 = performance.now();
const sources = await loadIndicatorFiles([join(echap, 'ioc.yaml'), join(echap, 'samples.csv')]);
const loadSeconds = (performance.now() - l0) / 1000;
const t0 = performance.now();
const a = await analyzeAcquisition(dir, { indicators: sources.indicators, feeds: sources.feeds });
const json = renderDeviceJson(a, 'en');
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, loadSeconds, apps: a.facts.apps.length, findings: a.findings.length, jsonBytes: json.length, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
