/** Colours by meaning, off when NO_COLOR is set (https://no-color.org). */
export type Tone = 'ok' | 'fail' | 'warn' | 'accent' | 'add' | 'remove' | 'hunk' | 'muted';

const palette: Record<Tone, string> = {ok: 'green', fail: 'red', warn: 'yellow', accent: 'cyan', add: 'green', remove: 'red', hunk: 'cyan', muted: 'gray'};

export function colorsEnabled(): boolean {
	return process.env.NO_COLOR === undefined || process.env.NO_COLOR === '';
}

export function tone(name: Tone): string | undefined {
	return colorsEnabled() ? palette[name] : undefined;
}

export const symbols = {done: '✔', failed: '✖', pending: '○', skipped: '–', rolledBack: '↺', arrow: '→', warn: '!'};

/** Fits text into a column: truncated with … or padded. */
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length > width) return `${text.slice(0, Math.max(0, width - 1))}…`;
	return text.padEnd(width);
}

export function formatMs(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
