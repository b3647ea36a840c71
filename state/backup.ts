/**
 * Backups of one iteration: every file the plan may touch copied to
 * `.netmigrate/backups/<iteration>/files/`, a sha256 manifest, and snapshots of the engine
 * (networks, the legacy network's inspect, containers with their networks) that rollback
 * verifies against. Created 0600 in 0700 folders: they hold the stack's secrets.
 */
import {closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync} from 'node:fs';
import path from 'node:path';
import {NetmigrateError} from '../source/errors.js';
import {sha256} from '../source/hash.js';
import {privateFolder, statePaths} from './paths.js';
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
		const relative = path.relative(stackRoot, file.path);
		const copy = path.join('files', relative.split(path.sep).join('__'));
		writePrivate(path.join(folder, copy), file.content);
		return {path: file.path, sha256: sha256(file.content), mode: file.mode, uid: file.uid, gid: file.gid, copy};
	});
	const snapshotNames: string[] = [];
	for (const [name, value] of Object.entries(snapshots)) {
		writePrivate(path.join(folder, `${name}.json`), Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
		snapshotNames.push(`${name}.json`);
	}
	const {defaultRoutes = {}, record, health, addresses} = engineState;
	const manifest: BackupManifest = {iteration, createdAt: new Date().toISOString(), files: backedUp, membership, ...(record ? {record} : {}), defaultRoutes, ...(health ? {health} : {}), ...(addresses ? {addresses} : {}), snapshots: snapshotNames};
	writePrivate(path.join(folder, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
	return manifest;
}

export function readBackup(stackRoot: string, iteration: string): BackupManifest | undefined {
	const file = path.join(backupFolder(stackRoot, iteration), 'manifest.json');
	if (!existsSync(file)) return undefined;
	return JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
}

/** A backed-up file's contents, verified against its manifest hash. */
export function backedUpContent(stackRoot: string, iteration: string, file: BackedUpFile): Buffer {
	const content = readFileSync(path.join(backupFolder(stackRoot, iteration), file.copy));
	if (sha256(content) !== file.sha256) {
		throw new NetmigrateError(`the backup of ${file.path} does not match its manifest hash`, {
			hint: `the backup in ${backupFolder(stackRoot, iteration)} was changed; restore the file by hand from a copy you trust`,
		});
	}
	return content;
}

function writePrivate(file: string, content: Buffer): void {
	let fd: number;
	try {
		fd = openSync(file, 'w', 0o600);
	} catch (error) {
		throw backupError(error, file);
	}
	try {
		writeSync(fd, content);
		fsyncSync(fd);
	} catch (error) {
		throw backupError(error, file);
	} finally {
		closeSync(fd);
	}
}

function backupError(error: unknown, file: string): NetmigrateError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOSPC') {
		return new NetmigrateError(`the disk is full: could not write the backup ${file}`, {hint: 'free some space (`df -h`) and run again; nothing on the host was changed yet'});
	}
	return new NetmigrateError(`could not write the backup ${file}: ${(error as Error).message}`, {hint: 'check the permissions of the stack folder; nothing on the host was changed yet'});
}

export function writeReport(stackRoot: string, name: string, text: string): string {
	const folder = privateFolder(statePaths(stackRoot).reports);
	const file = path.join(folder, name);
	writePrivate(file, Buffer.from(text));
	return file;
}
