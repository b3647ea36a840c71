/**
 * Backups of one iteration: every file the plan may touch copied to
 * `.netmigrate/backups/<iteration>/files/`, a sha256 manifest, and snapshots of the engine
 * (networks, the legacy network's inspect, containers with their networks) that rollback
 * verifies against. Created 0600 in 0700 folders, whatever existed there, never through a link
 * (state/nofollow.ts): they hold the stack's secrets.
 */
import {createHash} from 'node:crypto';
import path from 'node:path';
import {NetmigrateError} from '../source/errors.js';
import {sha256} from '../source/hash.js';
import {readStateFile} from './nofollow.js';
import {privateFolder, statePaths, writePrivateFile} from './paths.js';
import type {AddressBook, DefaultRoutes, HealthBaseline, MembershipRecord, MembershipSnapshot} from '../source/domain.js';

export type BackedUpFile = {path: string; sha256: string; mode: number; uid: number; gid: number; copy: string};

export type BackupManifest = {
	iteration: string;
	createdAt: string;
	files: BackedUpFile[];
	/** Container name → networks, at backup time. */
	membership: MembershipSnapshot;
	/**
	 * Container name → networks with their aliases and pinned addresses, and the namespace a
	 * follower shares: what verification compares after the apply and after a rollback. Absent in
	 * backups made before it was recorded: those compare network names only.
	 */
	record?: MembershipRecord;
	/** Container name → the network its default route left through, at backup time (engines on this machine). */
	defaultRoutes?: DefaultRoutes;
	/**
	 * Container name → its state and health when the iteration began: what the checks and the
	 * recreate gate judge against (source/health.ts). Absent in backups made before it was
	 * recorded: then every container must be healthy.
	 */
	health?: HealthBaseline;
	/** Container name → network → its address when the iteration began, pinned or not: what a rollback reports as changed. */
	addresses?: AddressBook;
	snapshots: string[];
};

export function backupFolder(stackRoot: string, iteration: string): string {
	return path.join(statePaths(stackRoot).backups, iteration);
}

export function writeBackup(
	stackRoot: string,
	iteration: string,
	files: Array<{path: string; content: Buffer; mode: number; uid: number; gid: number}>,
	snapshots: Record<string, unknown>,
	membership: MembershipSnapshot,
	engineState: {defaultRoutes?: DefaultRoutes; record?: MembershipRecord; health?: HealthBaseline; addresses?: AddressBook} = {},
): BackupManifest {
	const folder = privateFolder(backupFolder(stackRoot, iteration));
	privateFolder(path.join(folder, 'files'));
	const backedUp: BackedUpFile[] = files.map((file) => {
		const copy = path.join('files', backupName(path.relative(stackRoot, file.path)));
		writePrivate(path.join(folder, copy), file.content);
		return {path: file.path, sha256: sha256(file.content), mode: file.mode, uid: file.uid, gid: file.gid, copy};
	});
	const snapshotNames: string[] = [];
	for (const [name, value] of Object.entries(snapshots)) {
		writePrivate(path.join(folder, `${name}.json`), Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
		snapshotNames.push(`${name}.json`);
	}
	const {defaultRoutes = {}, record, health, addresses} = engineState;
	const manifest: BackupManifest = {
		iteration,
		createdAt: new Date().toISOString(),
		files: backedUp,
		membership,
		...(record ? {record} : {}),
		defaultRoutes,
		...(health ? {health} : {}),
		...(addresses ? {addresses} : {}),
		snapshots: snapshotNames,
	};
	writePrivate(path.join(folder, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
	return manifest;
}

export function readBackup(stackRoot: string, iteration: string): BackupManifest | undefined {
	const file = path.join(backupFolder(stackRoot, iteration), 'manifest.json');
	const content = readStateFile(file);
	if (content === undefined) return undefined;
	let manifest: BackupManifest;
	try {
		manifest = JSON.parse(content.toString('utf8')) as BackupManifest;
	} catch {
		throw damagedManifest(file, 'it is not valid JSON');
	}
	if (!Array.isArray(manifest?.files)) throw damagedManifest(file, 'it lists no files');
	for (const entry of manifest.files) {
		if (typeof entry?.path !== 'string' || typeof entry.sha256 !== 'string' || typeof entry.copy !== 'string')
			throw damagedManifest(file, 'a file entry lacks its path, hash or copy');
		// Older backups named copies by joining the path with __ (names could collide); the manifest says which, so both read.
		const copy = path.normalize(entry.copy);
		if (path.isAbsolute(copy) || copy.split(path.sep)[0] !== 'files' || copy.split(path.sep).includes('..'))
			throw damagedManifest(file, `the copy of ${entry.path} is named ${entry.copy}, outside the backup's files/`);
	}
	return manifest;
}

function damagedManifest(file: string, what: string): NetmigrateError {
	return new NetmigrateError(`the backup manifest is damaged: ${what}`, {
		where: {file},
		code: 'bad-input',
		hint: "netmigrate writes it once and never changes it; restore it from a copy, or restore the stack's files by hand from the copies in files/ beside it",
	});
}

/**
 * A backed-up file's name in `files/`: its path in the stack with `%` and `/` percent-encoded, so
 * no two paths share a name (`a/b__c.yml` and `a__b/c.yml` did when `/` became `__`) and a top-
 * level file keeps its own name. A path outside the stack (an include from ../) keeps its `..`
 * inside the one name. A name past the file system's limit is shortened with its path's hash.
 */
export function backupName(relative: string): string {
	const name = relative
		.split(path.sep)
		.map((part) => part.replaceAll('%', '%25'))
		.join('%2F');
	if (Buffer.byteLength(name) <= 200) return name;
	return `${createHash('sha256').update(relative).digest('hex').slice(0, 16)}-${path.basename(relative).slice(-100)}`;
}

/** A backed-up file's contents, verified against its manifest hash. */
export function backedUpContent(stackRoot: string, iteration: string, file: BackedUpFile): Buffer {
	const copy = path.join(backupFolder(stackRoot, iteration), file.copy);
	const content = readStateFile(copy);
	if (content === undefined || sha256(content) !== file.sha256) {
		throw new NetmigrateError(
			`the backup of ${file.path} ${content === undefined ? 'is missing' : 'does not match its manifest hash'}`,
			{
				where: {file: copy},
				hint: `the backup in ${backupFolder(stackRoot, iteration)} was changed; restore the file by hand from a copy you trust`,
			},
		);
	}
	return content;
}

function writePrivate(file: string, content: Buffer): void {
	try {
		writePrivateFile(file, content);
	} catch (error) {
		if (error instanceof NetmigrateError) throw error;
		throw backupError(error, file);
	}
}

function backupError(error: unknown, file: string): NetmigrateError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOSPC') {
		return new NetmigrateError(`the disk is full: could not write the backup ${file}`, {
			hint: 'free some space (`df -h`) and run again; nothing on the host was changed yet',
		});
	}
	return new NetmigrateError(`could not write the backup ${file}: ${(error as Error).message}`, {
		hint: 'check the permissions of the stack folder; nothing on the host was changed yet',
	});
}

export function writeReport(stackRoot: string, name: string, text: string): string {
	const folder = privateFolder(statePaths(stackRoot).reports);
	const file = path.join(folder, name);
	writePrivate(file, Buffer.from(text));
	return file;
}
