/**
 * The state folder beside the stack: `<stack root>/.netmigrate/` (0700) holding progress,
 * the journal, the lock, backups and reports. Everything in it is created 0600/0700: backups
 * hold the stack's secrets.
 */
import {chmodSync, mkdirSync} from 'node:fs';
import path from 'node:path';

export type StatePaths = {
	root: string;
	journal: string;
	lock: string;
	backups: string;
	reports: string;
	probes: string;
};

export function statePaths(stackRoot: string): StatePaths {
	const root = path.join(stackRoot, '.netmigrate');
	return {
		root,
		journal: path.join(root, 'journal.jsonl'),
		lock: path.join(root, 'lock.json'),
		backups: path.join(root, 'backups'),
		reports: path.join(root, 'reports'),
		probes: path.join(root, 'probes'),
	};
}

/** Creates a private folder (0700) and its parents, tightening one that exists. */
export function privateFolder(folder: string): string {
	mkdirSync(folder, {recursive: true, mode: 0o700});
	chmodSync(folder, 0o700);
	return folder;
}
