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
	// The whole frame is redrawn: Ink 6.8's incremental rendering (only the lines that changed)
	// left earlier frames' lines on the screen in tmux — a step listed twice, the header's
	// iteration name gone — from the review's frame on (test/e2e/terminal.test.ts). Twice the
	// bytes (bench/frames-run.ts), still well under a 64 kbit/s link.
	incrementalRendering: false,
} satisfies RenderOptions;
