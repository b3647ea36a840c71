/**
 * Renders an Ink tree into a fake terminal of a chosen size (ink-testing-library fixes 100
 * columns and no rows), records frames, and types keys with a pause after each, as a user would.
 */
import {EventEmitter} from 'node:events';
import {render as inkRender, type Instance} from 'ink';
import type {ReactElement} from 'react';
import {KeyStream} from '../../source/ui/key-stream.js';

export class FakeStdout extends EventEmitter {
	frames: string[] = [];
	isTTY = true;
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
	resize(columns: number, rows: number) {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	enter: '\r',
	escape: '\u001B',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
	tab: '\t',
	ctrlC: '\u0003',
};

export type Rendered = {
	lastFrame: () => string;
	/** Every write to the terminal so far, escapes and all, as the terminal received it. */
	written: () => string;
	type: (...input: string[]) => Promise<void>;
	/** Writes all of `input` as ONE read, as typeahead, a paste or a laggy SSH link delivers it. */
	send: (input: string) => Promise<void>;
	waitFor: (predicate: (frame: string) => boolean, timeoutMs?: number) => Promise<string>;
	resize: (columns: number, rows: number) => Promise<void>;
	instance: Instance;
	unmount: () => void;
};

// Frames are asserted in Unicode whatever the locale of the machine running the tests (with no
// LANG at all the wizard would draw in ASCII); a test of ASCII mode sets NETMIGRATE_GLYPHS=ascii.
process.env.NETMIGRATE_GLYPHS ??= 'unicode';

const mounted = new Set<Instance>();

/** Unmounts every tree still rendered (call from afterEach): a live spinner would keep the process up. */
export function cleanup(): void {
	for (const instance of mounted) instance.unmount();
	mounted.clear();
}

export async function renderAt(
	tree: ReactElement,
	size: {columns: number; rows: number} = {columns: 80, rows: 24},
	options: {output?: (stdout: FakeStdout) => FakeStdout} = {},
): Promise<Rendered> {
	const fake = new FakeStdout(size.columns, size.rows);
	const stdout = fake;
	const output = options.output ? options.output(fake) : fake;
	const stdin = new FakeStdin();
	// The same key splitting the wizard gets on a real terminal (source/wizard.tsx).
	const keyStream = new KeyStream(stdin);
	const instance = inkRender(tree, {
		stdout: output as never,
		stderr: new FakeStdout(size.columns, size.rows) as never,
		stdin: keyStream as never,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	mounted.add(instance);
	const lastFrame = () => stripAnsi(stdout.frames.at(-1) ?? '');
	await tick();
	return {
		lastFrame,
		written: () => stdout.frames.join(''),
		type: async (...input) => {
			for (const chunk of input) {
				stdin.write(chunk);
				// Delivered to the screen, then a moment for its effects (a loaded machine is slow).
				await keyStream.drained();
				await tick(100);
			}
		},
		send: async (input) => {
			stdin.write(input);
			await keyStream.drained();
			await tick(100);
		},
		waitFor: async (predicate, timeoutMs = 5000) => {
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				if (predicate(lastFrame())) {
					// Let React's passive effects attach the new screen's input handlers, as a human's reaction time would.
					await tick(150);
					return lastFrame();
				}
				await tick(25);
			}
			throw new Error(`the frame never matched; last frame:\n${lastFrame()}`);
		},
		resize: async (columns, rows) => {
			stdout.resize(columns, rows);
			await tick(60);
		},
		instance,
		unmount: () => {
			mounted.delete(instance);
			instance.unmount();
		},
	};
}

export async function tick(ms = 30): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

export function stripAnsi(text: string): string {
	return text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
}

/** Every line of a frame fits the terminal. */
export function fits(frame: string, size: {columns: number; rows: number}): {ok: boolean; lines: number; widest: number} {
	const lines = frame.split('\n');
	const widest = Math.max(...lines.map((line) => [...line].length));
	return {ok: lines.length <= size.rows && widest <= size.columns, lines: lines.length, widest};
}
