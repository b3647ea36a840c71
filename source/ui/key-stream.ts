/**
 * The stdin Ink reads from, one key per read. It wraps the terminal's stdin (or a test's fake
 * one), splits each read into keys (`splitKeys`) and hands them to Ink one at a time, each once
 * React is idle again: a key's state update renders in a scheduler task and the screen's new
 * handlers attach in a later one (measured: a `setTimeout(0)` from the handler fires before
 * them), so a fixed pause races them; an idle-priority task in React's own scheduler runs only
 * after both (queued once the key's microtasks ran,
 * since React queues the render from one). The screen's handlers then see the state the previous key left. Raw mode, encoding, ref/unref and isTTY pass through to the wrapped stream; the
 * wrapped stream is read only while Ink listens, as Ink itself would.
 *
 * A bracketed paste reaches Ink as one input of its text (Ink passes a multi-character input
 * to handlers whole, and no screen takes text), so a pasted line is not a string of commands.
 */
import {EventEmitter} from 'node:events';
import {StringDecoder} from 'node:string_decoder';
import {unstable_IdlePriority, unstable_scheduleCallback} from 'scheduler';
import {pastedText, pasteStart, splitKeys} from './split-keys.js';

/** What Ink and the tests' fake stdins have in common with a TTY ReadStream. */
export type KeySource = EventEmitter & {
	isTTY?: boolean;
	read: () => string | Buffer | null;
	setRawMode?: (on: boolean) => unknown;
	setEncoding?: (encoding: BufferEncoding) => unknown;
	ref?: () => unknown;
	unref?: () => unknown;
	resume?: () => unknown;
	pause?: () => unknown;
};

export type KeyStreamOptions = {
	/** How long a lone ESC (or a cut-off sequence) waits for the rest before it counts as the Escape key. */
	escapeTimeoutMs?: number;
	/** How long an unterminated bracketed paste waits for its end marker before it is delivered as is. */
	pasteTimeoutMs?: number;
};

export class KeyStream extends EventEmitter {
	private readonly queue: string[] = [];
	private pending = '';
	private current: string | null = null;
	private waiting = false;
	private restTimer: NodeJS.Timeout | undefined;
	private attached = false;
	private readonly decoder = new StringDecoder('utf8');
	private readonly escapeTimeoutMs: number;
	private readonly pasteTimeoutMs: number;

	constructor(
		private readonly source: KeySource,
		options: KeyStreamOptions = {},
	) {
		super();
		this.escapeTimeoutMs = options.escapeTimeoutMs ?? 25;
		this.pasteTimeoutMs = options.pasteTimeoutMs ?? 1000;
		this.on('newListener', (event) => {
			if (event === 'readable') queueMicrotask(() => this.attach());
		});
		this.on('removeListener', (event) => {
			if (event === 'readable' && this.listenerCount('readable') === 0) this.detach();
		});
	}

	get isTTY(): boolean | undefined {
		return this.source.isTTY;
	}

	setRawMode(on: boolean): this {
		this.source.setRawMode?.(on);
		return this;
	}

	setEncoding(encoding: BufferEncoding): this {
		this.source.setEncoding?.(encoding);
		return this;
	}

	ref(): this {
		this.source.ref?.();
		return this;
	}

	unref(): this {
		this.source.unref?.();
		return this;
	}

	resume(): this {
		this.source.resume?.();
		return this;
	}

	pause(): this {
		this.source.pause?.();
		return this;
	}

	/** Ink reads until null: one key, then null until the next 'readable'. */
	read(): string | null {
		const key = this.current;
		this.current = null;
		return key;
	}

	/** Takes one read's worth of input (also what the wrapped stream's 'readable' leads to). */
	push(chunk: string | Buffer): void {
		const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
		clearTimeout(this.restTimer);
		const {keys, rest} = splitKeys(this.pending + text);
		this.pending = rest;
		this.queue.push(...keys);
		if (rest)
			this.restTimer = setTimeout(
				() => this.flushPending(),
				rest.startsWith(pasteStart) ? this.pasteTimeoutMs : this.escapeTimeoutMs,
			);
		this.deliver();
	}

	/** Resolves once every key taken so far has been handed to Ink and React has settled after the last. */
	async drained(): Promise<void> {
		while (this.waiting || this.queue.length > 0 || this.pending || this.current !== null) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
	}

	private readonly onSourceReadable = () => {
		let chunk: string | Buffer | null;
		while ((chunk = this.source.read()) !== null) this.push(chunk);
	};

	private attach(): void {
		if (this.attached || this.listenerCount('readable') === 0) return;
		this.attached = true;
		this.source.on('readable', this.onSourceReadable);
		this.deliver();
	}

	private detach(): void {
		if (!this.attached) return;
		this.attached = false;
		this.source.removeListener('readable', this.onSourceReadable);
	}

	/** A sequence that never finished is the key it looks like: a lone ESC is Escape; an open paste is pasted as far as it came. */
	private flushPending(): void {
		const rest = this.pending;
		this.pending = '';
		if (!rest) return;
		this.queue.push(rest.startsWith(pasteStart) ? `${rest}\u001B[201~` : rest);
		this.deliver();
	}

	private deliver(): void {
		if (this.waiting || this.listenerCount('readable') === 0) return;
		const next = this.current ?? this.queue.shift();
		if (next === undefined) return;
		const key = forInk(next);
		if (key === '') {
			this.deliver();
			return;
		}
		this.current = key;
		this.emit('readable');
		this.waiting = true;
		// React queues the key's render from a microtask, so queue behind it only once microtasks ran.
		setImmediate(() =>
			unstable_scheduleCallback(unstable_IdlePriority, () => {
				this.waiting = false;
				this.deliver();
			}),
		);
	}
}

/** What Ink is given for a key: a paste as its bare text, with no ESC for Ink's own parser to cut it at. */
function forInk(key: string): string {
	const pasted = pastedText(key);
	return pasted === undefined ? key : pasted.replaceAll('\u001B', '');
}
