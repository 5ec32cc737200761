// The fake service the Web Test Runner plugin started for this run (see README.md).
import { serviceControl } from './control.ts';

const virtualModule = '/__fake-service.js';
const { serviceUrl } = (await import(/* @vite-ignore */ virtualModule)) as { serviceUrl: string };

export const service = serviceControl(serviceUrl);
