/**
 * Drift: a file netmigrate wrote that the operator changed since. Undoing netmigrate's edits
 * without losing theirs is a three-way merge of lines — base: what netmigrate left (`written`),
 * ours: what the file held before netmigrate (`original`), theirs: the file now (`current`).
 * netmigrate's edits are line-local (list entries, declarations, one allow-list value), so a
 * line diff3 is enough; where both sides changed the same lines (or one inserted lines right
 * beside lines the other changed) it is a conflict, never a guess. Lines keep
 * their endings (CRLF, a missing last newline), so a merge round-trips byte-exactly.
 */
import {diffArrays} from 'diff';

/** Where both sides changed: `line` is 1-based in `current`; each side's lines of that region. */
export type DriftConflict = {line: number; current: string[]; written: string[]; original: string[]};

export type DriftMerge =
	| {kind: 'clean'; merged: string}
	/** `deleted`: the file is gone; `not-text`: it is no longer UTF-8, so lines cannot be told apart safely. */
	| {kind: 'conflict'; reason: 'same-lines' | 'deleted' | 'not-text'; lines: DriftConflict[]};

/** Base lines [start, end) replaced by `lines`; start === end is an insertion. */
type Hunk = {start: number; end: number; lines: string[]; side: 'ours' | 'theirs'};

/** netmigrate's own edits undone on the file as it is now, keeping the operator's. */
export function mergeDrift(original: string, written: string, current: string | Buffer | undefined): DriftMerge {
	if (current === undefined) return {kind: 'conflict', reason: 'deleted', lines: []};
	const text = typeof current === 'string' ? current : current.toString('utf8');
	if (typeof current !== 'string' && !Buffer.from(text).equals(current)) return {kind: 'conflict', reason: 'not-text', lines: []};
	return mergeLines(splitLines(original), splitLines(written), splitLines(text));
}

/** Lines with their endings: joining them gives the text back, byte for byte. */
function splitLines(text: string): string[] {
	return text.match(/[^\n]*\n|[^\n]+/g) ?? [];
}

function mergeLines(ours: string[], base: string[], theirs: string[]): DriftMerge {
	const merged: string[] = [];
	const conflicts: DriftConflict[] = [];
	let at = 0;
	let theirsShift = 0;
	for (const group of groupsOf([...hunksOf(base, ours, 'ours'), ...hunksOf(base, theirs, 'theirs')])) {
		const start = Math.min(...group.map((hunk) => hunk.start));
		const end = Math.max(...group.map((hunk) => hunk.end));
		const oursVersion = applyIn(
			base,
			start,
			end,
			group.filter((hunk) => hunk.side === 'ours'),
		);
		const theirsVersion = applyIn(
			base,
			start,
			end,
			group.filter((hunk) => hunk.side === 'theirs'),
		);
		merged.push(...base.slice(at, start));
		if (group.every((hunk) => hunk.side === 'ours')) merged.push(...oursVersion);
		else if (group.every((hunk) => hunk.side === 'theirs') || sameLines(oursVersion, theirsVersion)) merged.push(...theirsVersion);
		else
			conflicts.push({line: start + theirsShift + 1, current: theirsVersion, written: base.slice(start, end), original: oursVersion});
		theirsShift += theirsVersion.length - (end - start);
		at = end;
	}
	merged.push(...base.slice(at));
	return conflicts.length > 0 ? {kind: 'conflict', reason: 'same-lines', lines: conflicts} : {kind: 'clean', merged: merged.join('')};
}

/** The changes from `base` to `other`, each a run of removed and added lines between common ones. */
function hunksOf(base: string[], other: string[], side: Hunk['side']): Hunk[] {
	const hunks: Hunk[] = [];
	let at = 0;
	let open: Hunk | undefined;
	for (const change of diffArrays(base, other)) {
		if (!change.added && !change.removed) {
			at += change.count;
			open = undefined;
			continue;
		}
		if (!open) {
			open = {start: at, end: at, lines: [], side};
			hunks.push(open);
		}
		if (change.removed) {
			at += change.count;
			open.end = at;
		} else open.lines.push(...change.value);
	}
	return hunks;
}

/**
 * Hunks of both sides that touch, grouped (diff3's chunks). Ranges touch when they overlap,
 * and an insertion touches a range it sits inside. Where two hunks only meet at a point, they
 * touch when one inserts there and the other also puts lines there (an insertion, or lines
 * replaced up to that point): which lines come first is a guess, and the inserted lines may
 * belong to what the other side rewrote (an entry added after networks netmigrate turned into
 * a map). Edits of neighbouring lines (TZ= above the allow-list variable), or an insertion
 * beside lines the other side only deleted, merge cleanly.
 */
function groupsOf(hunks: Hunk[]): Hunk[][] {
	const groups: Hunk[][] = [];
	let end = -1;
	let endingAtEnd: Hunk[] = [];
	for (const hunk of [...hunks].sort((a, b) => a.start - b.start || a.end - b.end)) {
		const group = groups.at(-1);
		if (group && (hunk.start < end || (hunk.start === end && endingAtEnd.some((other) => orderMatters(other, hunk))))) {
			group.push(hunk);
			if (hunk.end > end) endingAtEnd = [hunk];
			else if (hunk.end === end) endingAtEnd.push(hunk);
			end = Math.max(end, hunk.end);
			continue;
		}
		groups.push([hunk]);
		end = hunk.end;
		endingAtEnd = [hunk];
	}
	return groups;
}

/** Two hunks meeting at one point: does the merge have to guess which lines go first? */
function orderMatters(a: Hunk, b: Hunk): boolean {
	const insertion = (hunk: Hunk) => hunk.start === hunk.end;
	return (insertion(a) && b.lines.length > 0) || (insertion(b) && a.lines.length > 0);
}

/** Base lines [start, end) with one side's hunks (all inside that range) applied. */
function applyIn(base: string[], start: number, end: number, hunks: Hunk[]): string[] {
	const lines: string[] = [];
	let at = start;
	for (const hunk of hunks) {
		lines.push(...base.slice(at, hunk.start), ...hunk.lines);
		at = hunk.end;
	}
	lines.push(...base.slice(at, end));
	return lines;
}

function sameLines(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((line, index) => line === b[index]);
}
