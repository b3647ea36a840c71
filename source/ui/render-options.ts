/**
 * How Ink draws the wizard. Over SSH every byte counts (a 64 kbit/s link carries 8000 bytes/s)
 * and Ink rewrites the whole frame on each render by default; bench/frames-run.ts measures it.
 */
import type {RenderOptions} from 'ink';

export const wizardRenderOptions = {
	// At most 4 frames a second: the spinner, the elapsed times and the log tail of a run change
	// far more often. Ink's throttle draws the first change at once (a key gets its frame
	// without waiting) and folds the rest into the next frame.
	maxFps: 4,
	// Rewrite only the lines that changed instead of erasing and redrawing the whole frame.
	incrementalRendering: true,
} satisfies RenderOptions;
