/** Compose-edit tests' set-up: a scratch stack from file texts, edited, with the new texts to read back. */
import path from 'node:path';
import {after} from 'node:test';
import {ComposeEditor} from '../../source/compose/edits.js';
import {loadComposeProject} from '../../source/compose/project.js';
import {removeStack, writeStack} from './stack.js';

const roots: string[] = [];
after(() => roots.forEach(removeStack));

export function project(files: Record<string, string>, rootFiles = ['docker-compose.yml']) {
	const root = writeStack(files);
	roots.push(root);
	return loadComposeProject(root, rootFiles);
}

export function edit(files: Record<string, string>, change: (editor: ComposeEditor) => void, rootFiles?: string[]) {
	const model = project(files, rootFiles);
	const editor = new ComposeEditor(model);
	change(editor);
	const changes = editor.changes();
	const text = (name: string) => changes.find((item) => item.path === path.join(model.root, name))?.after;
	return {changes, text, notes: editor.notes, model};
}
