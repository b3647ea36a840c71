/**
 * Colours by meaning, off when NO_COLOR is set (https://no-color.org); glyphs by what the
 * terminal can show (Unicode, or ASCII under a non-UTF-8 locale or a vt100-like TERM).
 */
import {charset} from './terminal.js';

export type Tone = 'ok' | 'fail' | 'warn' | 'accent' | 'add' | 'remove' | 'hunk' | 'muted';

const palette: Record<Tone, string> = {
	ok: 'green',
	fail: 'red',
	warn: 'yellow',
	accent: 'cyan',
	add: 'green',
	remove: 'red',
	hunk: 'cyan',
	muted: 'gray',
};

export function colorsEnabled(): boolean {
	return process.env.NO_COLOR === undefined || process.env.NO_COLOR === '';
}

export function tone(name: Tone): string | undefined {
	return colorsEnabled() ? palette[name] : undefined;
}

const unicode = {
	done: '✔',
	failed: '✖',
	pending: '○',
	skipped: '–',
	rolledBack: '↺',
	arrow: '→',
	warn: '!',
	dot: '·',
	dash: '—',
	ellipsis: '…',
	pointer: '❯',
	upDown: '↑/↓',
	leftRight: '←/→',
	times: '×',
	border: 'round' as 'round' | 'classic',
	spinner: 'dots' as 'dots' | 'line',
	/** A wait's bar (WaitBar): time gone, time left, time past what it should take. */
	barFilled: '█',
	barEmpty: '░',
	barOver: '▓',
};
const ascii: typeof unicode = {
	done: 'v',
	failed: 'x',
	pending: 'o',
	skipped: '-',
	rolledBack: '<',
	arrow: '->',
	warn: '!',
	dot: '|',
	dash: '-',
	ellipsis: '...',
	pointer: '>',
	upDown: 'Up/Down',
	leftRight: 'Left/Right',
	times: 'x',
	border: 'classic',
	spinner: 'line',
	barFilled: '#',
	barEmpty: '.',
	barOver: '=',
};

export type Glyphs = typeof unicode;

/** The glyphs for this terminal, read each time (tests switch NETMIGRATE_GLYPHS). */
export function glyphs(): Glyphs {
	return charset() === 'ascii' ? ascii : unicode;
}

/** The status marks, as `symbols.done` and so on. */
export const symbols = {
	get done() {
		return glyphs().done;
	},
	get failed() {
		return glyphs().failed;
	},
	get pending() {
		return glyphs().pending;
	},
	get skipped() {
		return glyphs().skipped;
	},
	get rolledBack() {
		return glyphs().rolledBack;
	},
	get arrow() {
		return glyphs().arrow;
	},
	get warn() {
		return glyphs().warn;
	},
};

/** Fits text into a column: truncated with an ellipsis (… or ...) or padded. */
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	return truncate(text, width).padEnd(width);
}

/** Cuts text to at most `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
	if (text.length <= width) return text;
	const {ellipsis} = glyphs();
	if (width <= ellipsis.length) return text.slice(0, Math.max(0, width));
	return `${text.slice(0, width - ellipsis.length)}${ellipsis}`;
}

export function formatMs(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Word-wraps text (each of its lines) to `width` columns; a word longer than a line is cut across lines. */
export function wrap(text: string, width: number, indent = ''): string[] {
	const out: string[] = [];
	const room = Math.max(1, width);
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(' ')) {
			const next = line ? `${line} ${word}` : word;
			if (next.length <= room) {
				line = next;
				continue;
			}
			if (line) out.push(line);
			let rest = `${out.length > 0 && indent ? indent : ''}${word}`;
			while (rest.length > room) {
				out.push(rest.slice(0, room));
				rest = `${indent}${rest.slice(room)}`;
			}
			line = rest;
		}
		out.push(line);
	}
	return out;
}
