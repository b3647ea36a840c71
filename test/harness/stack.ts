/** Writes a compose project from inline files into a temp folder, for pure tests. */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {sha256} from '../../source/hash.js';

export function writeStack(files: Record<string, string>): string {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-fixture-'));
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
		writeFileSync(path.join(root, name), text);
	}
	return root;
}

export function removeStack(root: string): void {
	rmSync(root, {recursive: true, force: true});
}

/** sha256 of every file under a folder, to prove that nothing changed. */
export function treeHashes(root: string): Record<string, string> {
	const hashes: Record<string, string> = {};
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder)) {
			const full = path.join(folder, entry);
			if (statSync(full).isDirectory()) walk(full);
			else hashes[path.relative(root, full)] = sha256(readFileSync(full));
		}
	};
	walk(root);
	return hashes;
}
