/** `node --import tsx bench/frames-run.ts`: the frame bench alone (see bench/frames.ts), no engine needed. */
import {wizardRenderOptions} from '../source/ui/render-options.js';
import {measureFrames} from './frames.js';

const variants: Record<string, Parameters<typeof measureFrames>[0]> = {
	"Ink's defaults (30 fps, whole frames)": {},
	'the wizard (source/ui/render-options.ts)': wizardRenderOptions,
};
const only = process.argv[2];
for (const [name, options] of Object.entries(variants)) {
	if (only && !name.includes(only)) continue;
	const result = await measureFrames(options);
	report(name, result);
}
process.exit(0);

function report(name: string, result: Awaited<ReturnType<typeof measureFrames>>) {
	const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
	const lines = [
		`${name}:`,
		`  simulated iteration 1: ${(result.durationMs / 1000).toFixed(1)} s, ${result.writes} writes`,
		`  bytes written during the run: ${result.bytes} (${kb(result.bytes)})`,
		`  mean ${Math.round(result.meanBytesPerSecond)} bytes/s; peak over one second ${result.peakBytesPerSecond} bytes/s`,
		`  a 64 kbit/s link carries 8000 bytes/s: the peak takes ${Math.round((result.peakBytesPerSecond / 8000) * 100)}% of it`,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}
