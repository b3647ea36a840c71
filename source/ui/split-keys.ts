/**
 * Splits one read from the terminal into the keys it holds. Ink 6 hands every key of a read to
 * the handlers in the same tick, before React re-renders, so the second `↓` of `↓ ↓ Enter` sees
 * the menu as it was before the first and Enter chooses the first entry; and a run of plain
 * characters (`jj`, `y` + Enter) arrives as one "key" that matches nothing. Typeahead, a laggy
 * SSH link and a paste all batch keys like that. `KeyStream` feeds Ink one key at a time.
 *
 * A key is one of: a CSI sequence (`ESC [ … final`, also the Linux console's `ESC [ [ A`), an
 * SS3 sequence (`ESC O x`), a Meta-prefixed key (`ESC x`, `ESC ESC [ A`), a bracketed paste
 * (`ESC [200~ … ESC [201~`, kept whole), one control character, or one printable character
 * (a whole grapheme: multi-byte UTF-8, combining marks and emoji stay together).
 */

const ESC = '\u001B';
export const pasteStart = `${ESC}[200~`;
export const pasteEnd = `${ESC}[201~`;

export type Split = {
	/** The complete keys, in order. */
	keys: string[];
	/** An unfinished sequence at the end of the read (`ESC`, `ESC [ 1 ;`, an open paste): prepend it to the next read. */
	rest: string;
};

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

const isFinal = (code: number) => code >= 0x40 && code <= 0x7e;
const isParameterOrIntermediate = (code: number) => code >= 0x20 && code <= 0x3f;

/** The length of the CSI sequence starting at `start` (which holds `ESC [`), 0 if it is malformed, -1 if unfinished. */
function csiLength(input: string, start: number): number {
	let index = start + 2;
	// The Linux console's function keys: ESC [ [ A.
	if (input[index] === '[') index++;
	for (; index < input.length; index++) {
		const code = input.charCodeAt(index);
		if (isParameterOrIntermediate(code)) continue;
		return isFinal(code) ? index + 1 - start : 0;
	}
	return -1;
}

/** The length of the escape-started key at `start`, or -1 if the read ends inside it. */
function escapeLength(input: string, start: number): number {
	const next = input[start + 1];
	if (next === undefined) return -1;
	if (input.startsWith(pasteStart, start)) {
		const end = input.indexOf(pasteEnd, start + pasteStart.length);
		return end === -1 ? -1 : end + pasteEnd.length - start;
	}
	if (next === '[') {
		const length = csiLength(input, start);
		return length === 0 ? 2 : length;
	}
	if (next === 'O') {
		if (start + 2 >= input.length) return -1;
		return isFinal(input.charCodeAt(start + 2)) ? 3 : 2;
	}
	if (next === ESC) {
		// Meta + a sequence (ESC ESC [ A); a double Escape is two Escapes.
		const third = input[start + 2];
		if (third === undefined) return 1;
		if (third !== '[' && third !== 'O') return 1;
		const inner = escapeLength(input, start + 1);
		return inner === -1 ? -1 : inner + 1;
	}
	// Meta + one character (Alt-x), a whole code point.
	const code = input.codePointAt(start + 1) ?? 0;
	return 1 + (code > 0xffff ? 2 : 1);
}

/** Splits a run of text without escapes into characters: controls one by one, printables by grapheme. */
function splitText(text: string, keys: string[]): void {
	for (const {segment} of segmenter.segment(text)) {
		// "\r\n" is one grapheme but two keys here: a terminal in raw mode sends Enter as "\r".
		if (segment.length > 1 && segment.charCodeAt(0) < 0x20) keys.push(...segment);
		else keys.push(segment);
	}
}

export function splitKeys(input: string): Split {
	const keys: string[] = [];
	let index = 0;
	while (index < input.length) {
		const escape = input.indexOf(ESC, index);
		if (escape === -1) {
			splitText(input.slice(index), keys);
			break;
		}
		if (escape > index) splitText(input.slice(index, escape), keys);
		const length = escapeLength(input, escape);
		if (length === -1) return {keys, rest: input.slice(escape)};
		keys.push(input.slice(escape, escape + length));
		index = escape + length;
	}
	return {keys, rest: ''};
}

/** A bracketed paste's text without its markers, or undefined when the key is no paste. */
export function pastedText(key: string): string | undefined {
	if (!key.startsWith(pasteStart) || !key.endsWith(pasteEnd)) return undefined;
	return key.slice(pasteStart.length, key.length - pasteEnd.length);
}
