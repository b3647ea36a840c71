/**
 * YAML from an operator's file, parsed with the two guards a hostile or broken file needs: an
 * alias bomb ("billion laughs": nine anchors each naming the previous nine times) is refused at
 * once instead of expanding to gigabytes, and nesting so deep that the parser would overflow
 * the call stack is refused with the line where it gets too deep. Compose refuses the same files
 * ("document contains excessive aliasing" from its YAML library).
 *
 * The alias bound: the yaml library counts each alias resolved times the aliases inside what it
 * points to; 10 000 lets a file merge a shared anchor into thousands of services (the largest
 * real stacks have a few hundred) while a bomb exceeds it at its first alias. Compose's own bound
 * (go-yaml) is a ratio of aliases to decoded nodes, of the same order for real files.
 */
import {type Document, isAlias, LineCounter, parseDocument, visit, type DocumentOptions, type ParseOptions, type SchemaOptions} from 'yaml';
import {NetmigrateError} from './errors.js';

export const maxAliasCount = 10_000;

/** The depth past which a file is refused as too deeply nested (no real compose file or plan nests past 20). */
const maxDepth = 1000;

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** `parseDocument`, refusing nesting too deep to parse; the document's own syntax errors are left to the caller. */
export function parseYamlInput(file: string, text: string, options: Options = {}): Document.Parsed {
	const deep = tooDeepLine(text);
	if (deep !== undefined) throw tooDeep(file, deep);
	try {
		return parseDocument(text, options);
	} catch (error) {
		if (error instanceof RangeError) throw tooDeep(file, 1);
		throw error;
	}
}

/** The document as plain data, refusing an alias bomb (at the first alias's line) and nesting too deep to convert. */
export function yamlData(document: Document, file: string, lines?: LineCounter): unknown {
	try {
		return document.toJS({maxAliasCount});
	} catch (error) {
		if (error instanceof ReferenceError && /alias/i.test(error.message)) {
			let offset: number | undefined;
			visit(document, {
				Alias(_key, node) {
					if (!isAlias(node)) return;
					offset = node.range?.[0];
					return visit.BREAK;
				},
			});
			const line = offset === undefined || !lines ? undefined : lines.linePos(offset).line;
			throw new NetmigrateError(
				`excessive aliasing: the YAML aliases (*name) expand past ${maxAliasCount} nodes, a "billion laughs" document; compose refuses it too`,
				{
					where: {file, ...(line === undefined ? {} : {line})},
					hint: 'write the repeated values out, or use fewer nested anchors (an anchor whose value holds many aliases, aliased many times)',
					code: 'bad-input',
				},
			);
		}
		if (error instanceof RangeError) throw tooDeep(file, 1);
		throw error;
	}
}

function tooDeep(file: string, line: number): NetmigrateError {
	return new NetmigrateError(`nested too deeply (more than ${maxDepth} levels of lists or maps)`, {
		where: {file, line},
		hint: 'this is no compose file or plan: check the file named, or fix the nesting at that line',
		code: 'bad-input',
	});
}

/** The line where flow brackets or block indentation first pass the depth bound, if they do. */
function tooDeepLine(text: string): number | undefined {
	let depth = 0;
	let line = 1;
	let quote = '';
	let lineStart = true;
	let indent = 0;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (char === '\n') {
			line++;
			lineStart = true;
			indent = 0;
			continue;
		}
		if (lineStart) {
			if (char === ' ' || char === '-') {
				indent++;
				if (indent > maxDepth * 2) return line;
				continue;
			}
			lineStart = false;
		}
		if (quote) {
			if (char === quote) quote = '';
			else if (char === '\\' && quote === '"') index++;
			continue;
		}
		if (char === '"' || char === "'") {
			if (depth > 0) quote = char;
		} else if (char === '#' && (index === 0 || /\s/.test(text[index - 1] as string))) {
			const end = text.indexOf('\n', index);
			index = (end < 0 ? text.length : end) - 1;
		} else if (char === '[' || char === '{') {
			depth++;
			if (depth > maxDepth) return line;
		} else if ((char === ']' || char === '}') && depth > 0) depth--;
	}
	return undefined;
}

export {LineCounter};
