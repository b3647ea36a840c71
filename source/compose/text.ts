/**
 * Text-level primitives for editing a compose file in place. Edits are splices at byte
 * offsets of the original text (the yaml library's node ranges give them), so every byte
 * outside a splice is the byte the operator wrote: comments, blank lines, trailing spaces,
 * quoting, indentation and CRLF line ends included. Nothing here re-serialises YAML.
 */
import {parse} from 'yaml';

/** Replace `text.slice(start, end)` with `insert`. */
export type TextEdit = {start: number; end: number; insert: string};

/** Applies non-overlapping splices (given in any order; insertions at one offset land in the order given) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
	const ordered = edits.map((edit, index) => ({...edit, index})).sort((a, b) => b.start - a.start || b.end - a.end || b.index - a.index);
	let result = text;
	let limit = Number.POSITIVE_INFINITY;
	for (const edit of ordered) {
		if (edit.end > limit) throw new Error(`overlapping edits at offset ${edit.start}`);
		result = result.slice(0, edit.start) + edit.insert + result.slice(edit.end);
		limit = edit.start;
	}
	return result;
}

/** `\r\n` when the file uses CRLF line ends, else `\n`. */
export function newlineOf(text: string): string {
	return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
	return text.lastIndexOf('\n', offset - 1) + 1;
}

export function columnOf(text: string, offset: number): number {
	return offset - lineStartOf(text, offset);
}

/** 1-based line number of an offset. */
export function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
	return line;
}

/** True when only spaces stand between the line start and `offset` (optionally after a `- ` marker). */
export function startsItsLine(text: string, offset: number, marker = ''): boolean {
	const before = text.slice(lineStartOf(text, offset), offset);
	return marker ? new RegExp(`^ *${marker}\\s*$`).test(before) : /^ *$/.test(before);
}

/**
 * Where a new line goes after content that ends at `end`: the start of the next line
 * (after any comment that shares the content's last line). At the end of a file with no
 * final newline the caller must add one; `missingNewline` says so.
 */
export function afterLine(text: string, end: number): {offset: number; missingNewline: boolean} {
	if (end > 0 && text[end - 1] === '\n') return {offset: end, missingNewline: false};
	const newline = text.indexOf('\n', end);
	if (newline === -1) return {offset: text.length, missingNewline: true};
	return {offset: newline + 1, missingNewline: false};
}

/** Inserts whole lines (each ending in `newline`) after the line that holds `end`. */
export function insertLinesAfter(text: string, end: number, lines: string[], newline: string): TextEdit {
	const at = afterLine(text, end);
	const body = lines.map((line) => line + newline).join('');
	return {start: at.offset, end: at.offset, insert: at.missingNewline ? newline + body : body};
}

/** The lines of `text` from the line holding `start` through the line holding `end`, shifted by `delta` columns. */
export function shiftedLines(text: string, start: number, end: number, delta: number): string[] {
	const from = lineStartOf(text, start);
	const to = afterLine(text, end).offset;
	const lines = text
		.slice(from, to)
		.replace(/\r?\n$/, '')
		.split(/\r?\n/);
	return lines.map((line) => {
		if (line.trim() === '') return line;
		if (delta >= 0) return ' '.repeat(delta) + line;
		const spaces = /^ */.exec(line)?.[0].length ?? 0;
		return line.slice(Math.min(spaces, -delta));
	});
}

/**
 * The indentation step the file uses (2 in most files, 4 in some): the first block
 * key followed by a more indented line.
 */
export function indentUnit(text: string): number {
	const lines = text.split(/\r?\n/);
	for (let index = 0; index < lines.length - 1; index++) {
		const own = /^( *)[^\s#-][^#]*:\s*$/.exec(lines[index] as string)?.[1]?.length;
		if (own === undefined) continue;
		const next = lines.slice(index + 1).find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
		const width = next === undefined ? undefined : /^( *)[^\s-]/.exec(next)?.[1]?.length;
		if (width !== undefined && width > own) return width - own;
	}
	return 2;
}

/** A string as a YAML scalar (inside `[…]`/`{…}` when `inFlow`): plain when both YAML 1.2 and compose's YAML 1.1 read it back as that string, else double-quoted. */
export function scalarText(value: string, inFlow = false): string {
	const plainSafe = /^[A-Za-z0-9_./][A-Za-z0-9_./:,@+=-]*$/.test(value) && !/[:,]\s|\s#/.test(value) && !(inFlow && value.includes(','));
	if (plainSafe && parse(value) === value && parse(value, {version: '1.1'}) === value) return value;
	return JSON.stringify(value);
}
