/**
 * The state folder and the stack's files under hostile and careless conditions (issue 26): links
 * and hard links where state files should be, modes left wide, backup names that collided, a
 * damaged progress.json, lock.json and journal, compose files that are links, and an operator's
 * save racing netmigrate's write. Each test sets up the files and asserts the files after.
 */
import assert from 'node:assert/strict';
import {
	chmodSync,
	existsSync,
	linkSync,
	lstatSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	renameSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import type {FileWrite} from '../../source/actions.js';
import {readFileState, writeFileAtomic} from '../../source/engine/files.js';
import {NetmigrateError} from '../../source/errors.js';
import {applyFileWrite} from '../../source/file-write.js';
import {sha256} from '../../source/hash.js';
import {backedUpContent, backupName, readBackup, writeBackup} from '../../state/backup.js';
import {saveReplacedCopy} from '../../state/drift.js';
import {Journal, readJournal} from '../../state/journal.js';
import {acquireLock, forceUnlock, lockStatus} from '../../state/lock.js';
import {privateFolder, statePaths} from '../../state/paths.js';
import {Progress, readProgress} from '../../state/progress.js';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, {recursive: true, force: true})));
function scratch(): string {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-nofollow-'));
	roots.push(root);
	return root;
}
const mode = (file: string) => statSync(file).mode & 0o777;
const refusedAs = (pattern: RegExp) => (error: unknown) =>
	error instanceof NetmigrateError && pattern.test(`${error.message}\n${error.hint ?? ''}`);
const entry = (seq: number) =>
	JSON.stringify({
		seq,
		at: '2026-12-01T10:00:00.000Z',
		run: 'apply',
		iteration: 'one',
		step: 'networks',
		id: `networks-${seq}`,
		phase: 'planned',
		actions: [],
	});

test('a link where the state folder should be is refused, naming it, and the folder it points at is left as it was', () => {
	const root = scratch();
	const elsewhere = path.join(root, 'elsewhere');
	mkdirSync(elsewhere, {mode: 0o755});
	const stack = path.join(root, 'stack');
	mkdirSync(stack);
	symlinkSync(elsewhere, path.join(stack, '.netmigrate'));
	assert.throws(() => new Progress(stack), refusedAs(/\.netmigrate is a symbolic link to .*elsewhere[\s\S]*remove the link/));
	assert.throws(() => acquireLock(stack, 'apply'), refusedAs(/\.netmigrate is a symbolic link/));
	assert.throws(() => readProgress(stack), refusedAs(/\.netmigrate is a symbolic link/));
	assert.equal(mode(elsewhere), 0o755);
	assert.deepEqual(readdirSync(elsewhere), []);
});

test('a link anywhere inside the state folder is refused before anything is written', () => {
	const stack = scratch();
	const outside = path.join(scratch(), 'secret.env');
	writeFileSync(outside, 'KEY=1\n', {mode: 0o640});
	mkdirSync(path.join(stack, '.netmigrate', 'backups', 'one'), {recursive: true});
	symlinkSync(outside, path.join(stack, '.netmigrate', 'backups', 'one', 'manifest.json'));
	assert.throws(() => new Journal(stack), refusedAs(/manifest\.json is a symbolic link/));
	assert.equal(mode(outside), 0o640);
	assert.equal(readFileSync(outside, 'utf8'), 'KEY=1\n');
	assert.equal(existsSync(statePaths(stack).journal), false);
});

test('a state file with a second name (hard link) outside the stack is neither written nor chmod-ed', () => {
	const stack = scratch();
	const outside = path.join(scratch(), 'secret.env');
	writeFileSync(outside, 'KEY=1\n', {mode: 0o644});
	privateFolder(statePaths(stack).root);
	linkSync(outside, statePaths(stack).journal);
	assert.throws(() => new Journal(stack), refusedAs(/journal\.jsonl has 2 names \(hard links\)[\s\S]*cp -p/));
	assert.equal(mode(outside), 0o644);
	assert.equal(readFileSync(outside, 'utf8'), 'KEY=1\n');
});

test('modes are set on every open: a journal, progress and state folder left wide become private again', () => {
	const stack = scratch();
	const paths = statePaths(stack);
	mkdirSync(paths.root, {mode: 0o755});
	chmodSync(paths.root, 0o755);
	writeFileSync(paths.journal, `${entry(1)}\n`, {mode: 0o666});
	chmodSync(paths.journal, 0o666);
	const progressFile = path.join(paths.root, 'progress.json');
	writeFileSync(progressFile, '{"iterations":{}}\n', {mode: 0o644});
	chmodSync(progressFile, 0o644);
	readProgress(stack);
	assert.equal(mode(progressFile), 0o644, 'a read-only command changes nothing');
	new Progress(stack);
	assert.equal(mode(progressFile), 0o600);
	assert.equal(mode(paths.root), 0o700);
	const journal = new Journal(stack);
	assert.equal(mode(paths.journal), 0o600);
	chmodSync(paths.journal, 0o644);
	journal.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-2', phase: 'planned', actions: []});
	assert.equal(mode(paths.journal), 0o600);
	assert.deepEqual(
		readJournal(stack).map((item) => item.seq),
		[1, 2],
	);
});

test('backup files are written 0600 whatever was there before', () => {
	const stack = scratch();
	const file = path.join(stack, 'docker-compose.yml');
	writeFileSync(file, 'services: {}\n', {mode: 0o644});
	const first = writeBackup(stack, 'one', [{path: file, content: readFileSync(file), mode: 0o644, uid: 0, gid: 0}], {networks: []}, {});
	const copy = path.join(statePaths(stack).backups, 'one', first.files[0]?.copy ?? '');
	chmodSync(copy, 0o666);
	writeBackup(stack, 'one', [{path: file, content: readFileSync(file), mode: 0o644, uid: 0, gid: 0}], {networks: []}, {});
	assert.equal(mode(copy), 0o600);
	assert.equal(mode(path.join(statePaths(stack).backups, 'one', 'manifest.json')), 0o600);
});

test('no two files share a backup name: a/b__c.yml and a__b/c.yml each restore their own bytes', () => {
	const stack = scratch();
	const files = ['a/b__c.yml', 'a__b/c.yml', 'x%2Fy.yml', 'x/y.yml'].map((relative) => {
		const file = path.join(stack, relative);
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, `# ${relative}\nservices: {}\n`);
		return {path: file, content: readFileSync(file), mode: 0o644, uid: 0, gid: 0};
	});
	const manifest = writeBackup(stack, 'one', files, {}, {});
	assert.equal(new Set(manifest.files.map((item) => item.copy)).size, 4);
	for (const item of readBackup(stack, 'one')?.files ?? [])
		assert.equal(backedUpContent(stack, 'one', item).toString(), `# ${path.relative(stack, item.path)}\nservices: {}\n`);
	assert.equal(backupName('docker-compose.yml'), 'docker-compose.yml');
	assert.equal(backupName(path.join('..', 'shared', 'x.yml')), '..%2Fshared%2Fx.yml');
});

test('a backup made with the old names (path joined by __) still restores, as its manifest records them', () => {
	const stack = scratch();
	const folder = path.join(statePaths(stack).backups, 'one');
	privateFolder(path.join(folder, 'files'));
	const content = Buffer.from('services: {web: {image: nginx}}\n');
	writeFileSync(path.join(folder, 'files', 'traefik__docker-compose.yml'), content, {mode: 0o600});
	const file = {
		path: path.join(stack, 'traefik/docker-compose.yml'),
		sha256: sha256(content),
		mode: 0o644,
		uid: 0,
		gid: 0,
		copy: 'files/traefik__docker-compose.yml',
	};
	writeFileSync(
		path.join(folder, 'manifest.json'),
		JSON.stringify({iteration: 'one', createdAt: 'now', files: [file], membership: {}, snapshots: []}),
		{mode: 0o600},
	);
	const manifest = readBackup(stack, 'one');
	assert.equal(backedUpContent(stack, 'one', manifest?.files[0] as never).toString(), content.toString());
});

test('a manifest naming a copy outside its files/ folder is refused as damaged', () => {
	const stack = scratch();
	const folder = path.join(statePaths(stack).backups, 'one');
	privateFolder(folder);
	writeFileSync(
		path.join(folder, 'manifest.json'),
		JSON.stringify({
			iteration: 'one',
			files: [{path: '/x', sha256: 'ab', copy: 'files/../../../../etc/shadow'}],
			membership: {},
			snapshots: [],
		}),
	);
	assert.throws(() => readBackup(stack, 'one'), refusedAs(/manifest is damaged[\s\S]*outside the backup's files/));
});

test('progress.json is checked on read: a null record or one without steps names the file, the iteration and the way out', () => {
	const stack = scratch();
	const file = path.join(privateFolder(statePaths(stack).root), 'progress.json');
	writeFileSync(file, '{"iterations":{"network-foundation":null}}');
	assert.throws(
		() => readProgress(stack),
		(error: unknown) =>
			error instanceof NetmigrateError &&
			error.where?.file === file &&
			/progress\.json is damaged: iteration network-foundation/.test(error.message) &&
			/restore it from a copy/.test(error.hint ?? ''),
	);
	writeFileSync(
		file,
		JSON.stringify({
			iterations: {
				one: {
					name: 'one',
					index: 0,
					status: 'done',
					mode: 'live',
					operator: 'ops',
					toolVersion: '0.1.0',
					startedAt: 'now',
					journalStart: 0,
				},
			},
		}),
	);
	assert.throws(() => new Progress(stack), refusedAs(/iteration one, steps/));
	writeFileSync(
		file,
		JSON.stringify({
			iterations: {
				one: {
					name: 'one',
					index: 0,
					status: 'done',
					mode: 'live',
					operator: 'ops',
					toolVersion: '0.1.0',
					startedAt: 'now',
					journalStart: 0,
					steps: {},
					report: 'r.md',
					futureField: 1,
				},
			},
		}),
	);
	assert.equal(readProgress(stack).iteration('one')?.status, 'done', 'fields netmigrate only shows pass through');
});

test('a lock.json netmigrate did not write is never taken over: status shows it, force-unlock takes its hash id', () => {
	const stack = scratch();
	const lockFile = statePaths(stack).lock;
	privateFolder(statePaths(stack).root);
	writeFileSync(lockFile, 'held by the backup script, do not touch\n');
	let id = '';
	assert.throws(
		() => acquireLock(stack, 'apply'),
		(error: unknown) => {
			id = /force-unlock ([0-9a-f]{8})/.exec((error as NetmigrateError).hint ?? '')?.[1] ?? '';
			return (
				error instanceof NetmigrateError &&
				error.code === 'locked' &&
				/not a lock netmigrate wrote \(it holds 40 bytes that are not JSON\)/.test(error.message) &&
				!error.message.includes('backup script')
			);
		},
	);
	assert.equal(readFileSync(lockFile, 'utf8'), 'held by the backup script, do not touch\n');
	const shown = lockStatus(stack);
	assert.equal(shown?.id, id);
	assert.match(shown?.damaged ?? '', /40 bytes that are not JSON/);
	assert.throws(() => forceUnlock(stack, 'deadbeef'), refusedAs(new RegExp(`force-unlock ${id}`)));
	forceUnlock(stack, id);
	assert.equal(existsSync(lockFile), false);
	acquireLock(stack, 'apply').release();
});

test('the journal keeps a complete last entry that lacks its newline, and cuts only a torn one', () => {
	const stack = scratch();
	const file = statePaths(stack).journal;
	privateFolder(statePaths(stack).root);
	writeFileSync(file, `${entry(1)}\n${entry(2)}`);
	assert.deepEqual(
		readJournal(stack).map((item) => item.seq),
		[1, 2],
	);
	const journal = new Journal(stack);
	assert.equal(journal.lastSeq, 2);
	journal.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-3', phase: 'planned', actions: []});
	assert.deepEqual(
		readJournal(stack).map((item) => item.seq),
		[1, 2, 3],
	);
	assert.equal(readFileSync(file, 'utf8'), `${entry(1)}\n${entry(2)}\n${readFileSync(file, 'utf8').split('\n')[2]}\n`);

	writeFileSync(file, `${entry(1)}\n${entry(2).slice(0, 25)}`);
	assert.equal(new Journal(stack).lastSeq, 1);
	assert.equal(readFileSync(file, 'utf8'), `${entry(1)}\n`);

	writeFileSync(file, `${entry(1)}\nan operator's note`);
	assert.throws(() => new Journal(stack), refusedAs(/damaged at line 2[\s\S]*must not be deleted/));
	assert.equal(readFileSync(file, 'utf8'), `${entry(1)}\nan operator's note`, 'nothing cut');
	writeFileSync(file, `${entry(1)}\n{"seq":2,"half":\n`);
	assert.throws(() => readJournal(stack), refusedAs(/damaged at line 2/), 'a newline-terminated line is not a torn write');
});

function composeIn(folder: string, name = 'docker-compose.yml', text = 'services:\n  web:\n    image: nginx\n'): string {
	const file = path.join(folder, name);
	mkdirSync(folder, {recursive: true});
	writeFileSync(file, text, {mode: 0o640});
	return file;
}

test('a compose file that is a link is edited where it points, as an editor does: the link stays a link', () => {
	const stack = scratch();
	const target = composeIn(path.join(scratch(), 'dotfiles'));
	const link = path.join(stack, 'docker-compose.yml');
	symlinkSync(target, link);
	const before = readFileState(link);
	assert.ok(before);
	const outcome = writeFileAtomic(link, 'services: {}\n', {mode: before.mode, uid: before.uid, gid: before.gid, expect: before.sha256});
	assert.deepEqual(outcome, {written: true});
	assert.ok(lstatSync(link).isSymbolicLink());
	assert.equal(readlinkSync(link), target);
	assert.equal(readFileSync(target, 'utf8'), 'services: {}\n');
	assert.equal(mode(target), 0o640);
	assert.deepEqual(readdirSync(stack), ['docker-compose.yml'], 'no temp file beside the link');
	assert.deepEqual(readdirSync(path.dirname(target)), ['docker-compose.yml'], 'none beside the target either');
});

test('a dangling compose link, a loop and a hard-linked file are refused with the reason, nothing written', () => {
	const stack = scratch();
	const dangling = path.join(stack, 'dangling.yml');
	symlinkSync(path.join(stack, 'gone.yml'), dangling);
	assert.throws(
		() => writeFileAtomic(dangling, 'x', {mode: 0o644}),
		refusedAs(/dangling\.yml is a symbolic link to a file that does not exist/),
	);
	assert.equal(existsSync(path.join(stack, 'gone.yml')), false);
	symlinkSync('b.yml', path.join(stack, 'a.yml'));
	symlinkSync('a.yml', path.join(stack, 'b.yml'));
	assert.throws(() => writeFileAtomic(path.join(stack, 'a.yml'), 'x', {mode: 0o644}), refusedAs(/in a loop of links/));
	const shared = composeIn(stack, 'shared.yml');
	linkSync(shared, path.join(stack, 'other-name.yml'));
	assert.throws(() => writeFileAtomic(shared, 'x', {mode: 0o644}), refusedAs(/has 2 names \(hard links\)/));
	assert.equal(readFileSync(path.join(stack, 'other-name.yml'), 'utf8'), readFileSync(shared, 'utf8'));
});

/** A file.write action planned against `file`'s current content. */
function planned(file: string, content: string): FileWrite {
	const previous = readFileSync(file, 'utf8');
	return {
		kind: 'file.write',
		path: file,
		mode: 0o640,
		sha256Before: sha256(previous),
		sha256After: sha256(content),
		content,
		previous,
		reason: 'networks of web',
	};
}

const saves: Array<{how: string; save: (file: string, text: string) => void}> = [
	{how: 'in place (nano, VS Code)', save: (file, text) => writeFileSync(file, text)},
	{
		how: 'by rename (vim, sed -i)',
		save: (file, text) => {
			writeFileSync(`${file}.swp`, text);
			renameSync(`${file}.swp`, file);
		},
	},
];

for (const {how, save} of saves) {
	test(`an operator's save ${how} between the check and the swap is detected: theirs stays, a copy is kept, the action fails saying where`, () => {
		const stack = scratch();
		const file = composeIn(stack);
		const action = planned(file, 'services:\n  web:\n    image: nginx\n    networks: [frontend-net]\n');
		const theirs = 'services:\n  web:\n    image: nginx:1.27 # pinned by the operator\n';
		let kept = '';
		assert.throws(
			() =>
				applyFileWrite(
					action,
					'apply',
					(changed, content) => (kept = saveReplacedCopy(stack, 'network-foundation', changed, content)),
					() => save(file, theirs),
				),
			refusedAs(
				/changed while netmigrate was writing it[\s\S]*a copy of their version is in .*\.netmigrate\/replaced\/network-foundation\/docker-compose\.yml\./,
			),
		);
		assert.equal(readFileSync(file, 'utf8'), theirs);
		assert.equal(readFileSync(kept, 'utf8'), theirs);
		assert.equal(mode(kept), 0o600);
		assert.deepEqual(readdirSync(stack).sort(), ['.netmigrate', 'docker-compose.yml'], 'no temp or aside file left');
	});
}

test('without a racing save the planned write lands, keeping mode, and a replay finds it done', () => {
	const stack = scratch();
	const file = composeIn(stack);
	const action = planned(file, 'services: {}\n');
	assert.equal(applyFileWrite(action, 'apply'), true);
	assert.equal(readFileSync(file, 'utf8'), 'services: {}\n');
	assert.equal(mode(file), 0o640);
	assert.equal(applyFileWrite(action, 'apply'), false);
});

test('a file created by someone else in the moment before netmigrate creates it is theirs', () => {
	const stack = scratch();
	const file = path.join(stack, 'compose.override.yml');
	const outcome = writeFileAtomic(file, 'ours\n', {mode: 0o644, expect: null, beforeSwap: () => writeFileSync(file, 'theirs\n')});
	assert.equal(outcome.written, false);
	assert.equal(readFileSync(file, 'utf8'), 'theirs\n');
});
