/**
 * How Ink draws the wizard. Over SSH every byte counts (a 64 kbit/s link carries 8000 bytes/s)
 * and Ink rewrites the whole frame on each render by default; bench/frames-run.ts measures it.
 */
import type {RenderOptions} from 'ink';

export const wizardRenderOptions = {
	// A key or a new screen is drawn within a frame (a 4-fps throttle held the home screen back by
	// up to 250 ms, and every second key pressed within that time). A run stays at three frames a
	// second all the same: its events and its spinner move together on one clock (ui/run-clock.ts).
	maxFps: 30,
	// Rewrite only the lines that changed instead of erasing and redrawing the whole frame.
	incrementalRendering: true,
} satisfies RenderOptions;
