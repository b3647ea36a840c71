/**
 * Writing an edited YAML document back with the smallest diff. The yaml library keeps
 * comments, key order, quoting and anchors, but a full re-serialisation still rewrites
 * user style (aligned comments, indentation, CRLF). So we diff the library's rendering of
 * the untouched document against the edited one and apply only that patch to the original
 * text, comparing context lines loosely; the result is re-parsed and must equal the edit.
 * Only when that fails do we fall back to the full re-serialisation, and say so.
 */
import {applyPatch, structuredPatch} from 'diff';
import {isDeepStrictEqual} from 'node:util';
import {parseDocument, type Document, type ToStringOptions} from 'yaml';

export type Rendered = {text: string; minimal: boolean};

export function yamlStyle(text: string): ToStringOptions {
	const lines = text.split(/\r?\n/);
	let indent = 2;
	let indentSeq = true;
	for (let index = 0; index < lines.length - 1; index++) {
		const line = lines[index] as string;
		const next = lines[index + 1] as string;
		if (/^\S[^#]*:\s*$/.test(line)) {
			const width = /^( +)\S/.exec(next)?.[1]?.length;
			if (width) {
				indent = width;
				break;
			}
		}
	}
	for (let index = 0; index < lines.length - 1; index++) {
		const line = lines[index] as string;
		const next = lines[index + 1] as string;
		const own = /^( *)[^\s#-][^#]*:\s*$/.exec(line)?.[1]?.length;
		const item = /^( *)- /.exec(next)?.[1]?.length;
		if (own !== undefined && item !== undefined) {
			indentSeq = item > own;
			break;
		}
	}
	return {indent, indentSeq, lineWidth: 0, flowCollectionPadding: false, nullStr: ''};
}

export function renderEdited(original: string, edited: Document): Rendered {
	const style = yamlStyle(original);
	const crlf = original.includes('\r\n');
	const source = crlf ? original.replace(/\r\n/g, '\n') : original;
	const wanted = edited.toJS({maxAliasCount: -1});
	const base = parseDocument(source, {merge: true} as never).toString(style);
	const theirs = edited.toString(style);
	const restoreLineEnds = (text: string) => (crlf ? text.replace(/\n/g, '\r\n') : text);
	if (base === theirs) return {text: original, minimal: true};

	const patch = structuredPatch('a', 'b', base, theirs, '', '', {context: 2});
	const merged = applyPatch(source, patch, {
		compareLine: (_lineNumber: number, line: string, _operation: string, patchContent: string) => loose(line) === loose(patchContent),
	});
	if (merged !== false && sameData(merged, wanted)) return {text: restoreLineEnds(merged), minimal: true};
	return {text: restoreLineEnds(theirs), minimal: false};
}

function loose(line: string): string {
	return line.replace(/\s+/g, ' ').replace(/:\s*(null|~)?\s*$/, ':').trim();
}

function sameData(text: string, wanted: unknown): boolean {
	const document = parseDocument(text, {merge: true} as never);
	if (document.errors.length > 0) return false;
	return isDeepStrictEqual(document.toJS({maxAliasCount: -1}), wanted);
}
