/**
 * The state folder beside the stack: `<stack root>/.netmigrate/` (0700) holding progress,
 * the journal, the lock, backups and reports. Everything in it is created 0600/0700: backups
 * hold the stack's secrets.
 */
import {chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';

export type StatePaths = {
	root: string;
	journal: string;
	lock: string;
	backups: string;
	reports: string;
	probes: string;
	/** The operator's own copies of files a rollback restored over their changes (`--on-conflict backup`). */
	drift: string;
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
		drift: path.join(root, 'drift'),
	};
}

/**
 * Creates a private folder (0700) and its parents, tightening one that exists. The state
 * folder itself gets a `.gitignore` of `*`: stacks often live in git, and backups hold secrets.
 */
export function privateFolder(folder: string): string {
	mkdirSync(folder, {recursive: true, mode: 0o700});
	chmodSync(folder, 0o700);
	if (path.basename(folder) === '.netmigrate') ignoredByGit(folder);
	return folder;
}

function ignoredByGit(folder: string): void {
	const file = path.join(folder, '.gitignore');
	if (existsSync(file)) return;
	const fd = openSync(file, 'w', 0o600);
	try {
		writeSync(fd, '# netmigrate state: backups and the journal hold the stack\'s secrets\n*\n');
	} finally {
		closeSync(fd);
	}
}

/** Makes a file's creation in `folder` durable: a new file's directory entry is only on disk once the directory is synced. */
export function syncFolder(folder: string): void {
	const fd = openSync(folder, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** Creates `file` (it must not exist yet) with `content`, 0600, synced to disk before returning. */
export function writeNewPrivateFile(file: string, content: string | Buffer): void {
	const fd = openSync(file, 'wx', 0o600);
	try {
		writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
