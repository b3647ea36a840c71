/**
 * One compose file being edited: its current text, the parse of that text, and `apply`,
 * which splices edits in and keeps them only if the re-parsed file equals the old one
 * with exactly the intended change. Anything else is refused with the file and line —
 * a file is never written with something the plan did not ask for.
 */
import {isMap, parseDocument, type Document, type Node, type YAMLMap} from 'yaml';
import {NetmigrateError, type Where} from '../errors.js';
import {EditRefused} from './nodes.js';
import type {ComposeFile} from './project.js';
import {applyEdits, indentUnit, newlineOf, type TextEdit} from './text.js';
import {readData, unintendedChange, type ComposeData} from './verify.js';

export class EditableFile {
	text: string;
	readonly newline: string;
	readonly unit: number;
	private parsed: {text: string; document: Document} | undefined;
	/** Every batch of edits applied so far, to point messages at the line the operator wrote. */
	private readonly history: TextEdit[][] = [];

	constructor(readonly compose: ComposeFile) {
		this.text = compose.text;
		this.newline = newlineOf(compose.text);
		this.unit = indentUnit(compose.text);
	}

	get path(): string {
		return this.compose.path;
	}

	/** The current text, parsed (merge keys on, as compose reads them). */
	document(): Document {
		if (this.parsed?.text !== this.text) {
			this.parsed = {text: this.text, document: parseDocument(this.text, {merge: true} as never)};
		}
		return this.parsed.document;
	}

	data(): ComposeData {
		return readData(this.text) ?? {};
	}

	serviceNode(name: string): YAMLMap {
		const node = this.document().getIn(['services', name], true);
		if (!isMap(node))
			throw this.refusal(`service ${name} is not a mapping written in this file`, undefined, 'write the service as a mapping');
		return node;
	}

	/**
	 * Splices `edits` in when the result, read again, is the old data with `intended` applied
	 * (and nothing else); `what` names the change for the refusal.
	 */
	apply(edits: TextEdit[], intended: (data: ComposeData) => void, what: string): void {
		const after = applyEdits(this.text, edits);
		const problem = unintendedChange(this.text, after, intended);
		if (problem) {
			throw this.refusal(
				`netmigrate cannot ${what} without changing something else: ${problem}`,
				edits[0]?.start,
				'make this change by hand (netmigrate leaves the file as it is), then run the plan again',
			);
		}
		this.text = after;
		this.history.push(edits);
	}

	/** Runs a text edit; an `EditRefused` from it becomes an error at its line. */
	attempt<T>(what: string, hint: string, run: () => T): T {
		try {
			return run();
		} catch (error) {
			if (error instanceof EditRefused) throw this.refusal(`netmigrate cannot ${what}: ${error.message}`, error.offset, hint);
			throw error;
		}
	}

	where(node: Node | number | undefined | null): Where {
		const offset = typeof node === 'number' ? node : node?.range?.[0];
		if (offset === undefined) return {file: this.path};
		const position = this.compose.lines.linePos(this.originalOffset(offset));
		return {file: this.path, line: position.line, column: position.col};
	}

	/** An offset in the current text as an offset in the file as read (inside inserted text: where it was inserted). */
	private originalOffset(offset: number): number {
		return [...this.history].reverse().reduce((at, batch) => beforeBatch(at, batch), offset);
	}

	refusal(message: string, at: Node | number | undefined, hint: string): NetmigrateError {
		return new NetmigrateError(message, {where: this.where(at), hint, code: 'bad-input'});
	}
}

function beforeBatch(at: number, batch: TextEdit[]): number {
	let shift = 0;
	for (const edit of [...batch].sort((a, b) => a.start - b.start)) {
		const start = edit.start + shift;
		if (at < start) break;
		if (at < start + edit.insert.length) return edit.start;
		shift += edit.insert.length - (edit.end - edit.start);
	}
	return at - shift;
}
