import assert from 'node:assert/strict';
import {readFileSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {parse} from 'yaml';
import {describe as describeAction, inverse, rollbackOrder, type Action, type FileWrite} from '../../source/actions.js';
import {mergeDrift, type DriftMerge} from '../../source/drift.js';
import {NetmigrateError} from '../../source/errors.js';
import {applyAction} from '../../source/executor.js';
import {sha256} from '../../source/hash.js';
import {conflictError, driftedFiles, keepDrift, keepingChanges} from '../../source/runs/drift.js';
import {previewRollback} from '../../source/runs/rollback.js';
import {saveDriftCopy} from '../../state/drift.js';
import {Journal} from '../../state/journal.js';
import {statePaths} from '../../state/paths.js';
import {Progress} from '../../state/progress.js';
import {copyExampleStack, exampleStack, repoRoot} from '../harness/engine.js';
import {planFromFiles} from '../harness/iteration.js';

const read = (file: string) => readFileSync(file, 'utf8');
const originalTraefik = read(path.join(exampleStack, 'traefik/docker-compose.yml'));
const writtenTraefik = read(path.join(repoRoot, 'test/golden/media-stack-iteration-1/traefik/docker-compose.yml'));
const writtenTraefik28 = read(path.join(repoRoot, 'test/golden/media-stack-iteration-1-engine-28/traefik/docker-compose.yml'));

/** The operator's edit: `from` replaced once by `to`, failing loudly if `from` is not there. */
function edit(text: string, from: string, to: string): string {
	assert.ok(text.includes(from), `fixture has ${JSON.stringify(from)}`);
	return text.replace(from, to);
}

function merged(merge: DriftMerge): string {
	assert.equal(merge.kind, 'clean', JSON.stringify(merge));
	return (merge as {merged: string}).merged;
}

describe("undoing netmigrate's edits on a file the operator changed since", () => {
	test('a comment line the operator added elsewhere is kept, and every line netmigrate added is gone', () => {
		const current = edit(writtenTraefik, '    labels:\n', '    # pinned by ops, ticket 4711\n    labels:\n');
		assert.equal(
			merged(mergeDrift(originalTraefik, writtenTraefik, current)),
			edit(originalTraefik, '    labels:\n', '    # pinned by ops, ticket 4711\n    labels:\n'),
		);
	});

	test('an image tag bumped in the service whose networks netmigrate extended is kept (a different line, nearby)', () => {
		const bump = (text: string) => edit(text, '    image: netmigrate/busybox:1\n', '    image: netmigrate/busybox:1.37\n');
		assert.equal(merged(mergeDrift(originalTraefik, writtenTraefik, bump(writtenTraefik))), bump(originalTraefik));
		const healthcheck = (text: string) => edit(text, '      start_interval: 250ms\n', '      start_interval: 500ms\n');
		assert.equal(
			merged(mergeDrift(originalTraefik, writtenTraefik, healthcheck(writtenTraefik))),
			healthcheck(originalTraefik),
			'four lines above the networks netmigrate extended',
		);
	});

	test('.env: a different variable than the allow-list one is kept, even on the next line; the same variable conflicts', () => {
		const original = '# VPN settings\nTZ=Europe/Berlin\nFIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24\nPUID=1000\n';
		const written = edit(original, '192.168.1.0/24\n', '192.168.1.0/24,172.20.0.0/16\n');
		const otherVariable = (text: string) => edit(text, 'TZ=Europe/Berlin', 'TZ=Europe/Vienna');
		assert.equal(merged(mergeDrift(original, written, otherVariable(written))), otherVariable(original));
		const below = (text: string) => edit(text, 'PUID=1000', 'PUID=1001');
		assert.equal(merged(mergeDrift(original, written, below(written))), below(original));

		const sameVariable = edit(written, '172.20.0.0/16\n', '172.20.0.0/16,10.8.0.0/24\n');
		assert.deepEqual(mergeDrift(original, written, sameVariable), {
			kind: 'conflict',
			reason: 'same-lines',
			lines: [
				{
					line: 3,
					current: ['FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24,172.20.0.0/16,10.8.0.0/24\n'],
					written: ['FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24,172.20.0.0/16\n'],
					original: ['FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24\n'],
				},
			],
		});
	});

	test('a network entry the operator added among the ones netmigrate added conflicts, at its line in the file as it is now', () => {
		const current = edit(writtenTraefik, '      - backend-net\n', '      - backend-net\n      - auth-net\n');
		const merge = mergeDrift(originalTraefik, writtenTraefik, current);
		assert.equal(merge.kind, 'conflict');
		const [conflict] = merge.kind === 'conflict' ? merge.lines : [];
		assert.equal(conflict?.line, 26, 'the first line of the region in the current file (after media-network)');
		assert.deepEqual(conflict?.current, [
			'      - dmz-net\n',
			'      - frontend-net\n',
			'      - backend-net\n',
			'      - auth-net\n',
			'      - security-net\n',
		]);
		assert.deepEqual(conflict?.original, []);
	});

	test('an entry appended right after networks netmigrate rewrote as a map conflicts: a clean merge would mix a list with a map', () => {
		const current = edit(
			writtenTraefik28,
			'      security-net: {gw_priority: -1}\n',
			'      security-net: {gw_priority: -1}\n      auth-net: {}\n',
		);
		const merge = mergeDrift(originalTraefik, writtenTraefik28, current);
		assert.equal(merge.kind, 'conflict');
		assert.deepEqual(merge.kind === 'conflict' ? merge.lines.map((conflict) => conflict.line) : [], [25]);
	});

	test('ports netmigrate removed come back; a change on the line they sit beside conflicts, one further away does not', () => {
		const original =
			'services:\n  jellyfin:\n    image: jellyfin/jellyfin:10.9\n    restart: unless-stopped\n    ports:\n      - "18096:8096"\n    networks:\n      - media-network\n';
		const written = edit(original, '    ports:\n      - "18096:8096"\n', '');
		assert.equal(merged(mergeDrift(original, written, edit(written, '10.9', '10.10'))), edit(original, '10.9', '10.10'));
		const beside = edit(written, '    networks:\n', '    networks: # tiers\n');
		const merge = mergeDrift(original, written, beside);
		assert.equal(merge.kind, 'conflict', 'where the ports go back depends on the line the operator changed');
		assert.deepEqual(merge.kind === 'conflict' ? merge.lines.map((conflict) => conflict.line) : [], [5]);
	});

	test('lines the operator added right after the ones netmigrate added (and nothing of theirs) are kept', () => {
		const entry = (text: string) => edit(text, '      - security-net\n', '      - security-net\n      - auth-net\n');
		assert.equal(
			merged(mergeDrift(originalTraefik, writtenTraefik, entry(writtenTraefik))),
			edit(originalTraefik, '      - media-network\n', '      - media-network\n      - auth-net\n'),
		);
		const declaration = `${writtenTraefik}  auth-net:\n    external: true\n`;
		assert.equal(
			merged(mergeDrift(originalTraefik, writtenTraefik, declaration)),
			`${originalTraefik}  auth-net:\n    external: true\n`,
		);
	});

	test('a deleted file is a conflict with its reason: restoring it would bring back a file the operator removed', () => {
		assert.deepEqual(mergeDrift(originalTraefik, writtenTraefik, undefined), {kind: 'conflict', reason: 'deleted', lines: []});
	});

	test('a file that is no longer UTF-8 is a conflict: its bytes could not be written back as they are', () => {
		const latin1 = Buffer.concat([Buffer.from(writtenTraefik), Buffer.from([0x23, 0x20, 0xe9, 0x0a])]);
		assert.deepEqual(mergeDrift(originalTraefik, writtenTraefik, latin1), {kind: 'conflict', reason: 'not-text', lines: []});
		assert.equal(merged(mergeDrift(originalTraefik, writtenTraefik, Buffer.from(`${writtenTraefik}# é\n`))), `${originalTraefik}# é\n`);
	});

	test('CRLF files and files without a last newline round-trip byte-exactly', () => {
		const crlf = (text: string) => text.replaceAll('\n', '\r\n');
		const current = edit(crlf(writtenTraefik), '    labels:\r\n', '    # ops\r\n    labels:\r\n');
		assert.equal(
			merged(mergeDrift(crlf(originalTraefik), crlf(writtenTraefik), current)),
			edit(crlf(originalTraefik), '    labels:\r\n', '    # ops\r\n    labels:\r\n'),
		);

		const original = 'TZ=Europe/Berlin\nFIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16';
		const written = 'TZ=Europe/Berlin\nFIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,172.20.0.0/16';
		assert.equal(merged(mergeDrift(original, written, `# ops\n${written}`)), `# ops\n${original}`);
		const appended = 'networks:\n  media-network:\n    external: true';
		const withDeclaration = `${appended}\n  dmz-net:\n    external: true`;
		assert.equal(
			merged(mergeDrift(appended, withDeclaration, `# ops\n${withDeclaration}`)),
			`# ops\n${appended}`,
			'the missing last newline comes back with the lines netmigrate appended',
		);
	});

	test("an operator who already undid netmigrate's edits by hand gets their file as it is", () => {
		assert.equal(merged(mergeDrift(originalTraefik, writtenTraefik, originalTraefik)), originalTraefik);
		const undoneAndMore = edit(originalTraefik, '    labels:\n', '    # ops\n    labels:\n');
		assert.equal(merged(mergeDrift(originalTraefik, writtenTraefik, undoneAndMore)), undoneAndMore);
	});

	test('every merge of an edited example file still parses as YAML', () => {
		const current = edit(
			edit(writtenTraefik, '    image: netmigrate/busybox:1\n', '    image: netmigrate/busybox:2\n'),
			'# Reverse proxy',
			'# Reverse proxy (ops: v2)',
		);
		const result = parse(merged(mergeDrift(originalTraefik, writtenTraefik, current)));
		assert.deepEqual(result.services.traefik.networks, ['media-network']);
		assert.equal(result.services.traefik.image, 'netmigrate/busybox:2');
		assert.deepEqual(Object.keys(result.networks), ['media-network']);
	});
});

describe("the rollback's actions over files changed since the apply", () => {
	const stacks: Array<{remove: () => void}> = [];
	after(() => stacks.forEach((stack) => stack.remove()));

	/** Iteration 1 of the example "applied" to a scratch copy's files, and the rollback's inverse actions, as the journal would give them. */
	function appliedExample() {
		const stack = copyExampleStack();
		stacks.push(stack);
		const planned = planFromFiles(path.join(stack.root, 'netmigrate.yml'), 0);
		const applied = planned.steps.flatMap((step) => step.actions);
		for (const action of applied) if (action.kind === 'file.write') writeFileSync(action.path, action.content);
		const rollback = rollbackOrder(applied.map(inverse).reverse());
		const file = (relative: string) => path.join(stack.root, relative);
		const bytes = (name: string) => {
			try {
				return readFileSync(name);
			} catch {
				return undefined;
			}
		};
		return {root: stack.root, rollback, file, bytes, original: (relative: string) => read(path.join(exampleStack, relative))};
	}

	/** The rollback's file writes applied through the executor, as a run (and a resumed run) would. */
	async function restoreFiles(actions: Action[]): Promise<boolean[]> {
		const writes = actions.filter((action): action is FileWrite => action.kind === 'file.write');
		const outcomes: boolean[] = [];
		for (const write of writes)
			outcomes.push((await applyAction(write, {engine: undefined as never, compose: undefined as never})) === true);
		return outcomes;
	}

	const writesTo = (actions: Action[], file: string) =>
		actions.filter((action): action is FileWrite => action.kind === 'file.write' && action.path === file);

	test('a file changed since is restored by one write from its text now to the merge; every other action stays as it was', async () => {
		const example = appliedExample();
		const traefik = example.file('traefik/docker-compose.yml');
		const qbittorrent = example.file('qbittorrent/docker-compose.yml');
		writeFileSync(traefik, edit(read(traefik), '    labels:\n', '    # ops\n    labels:\n'));
		// Written twice (multi-home, then the firewall): one merge undoes both.
		writeFileSync(qbittorrent, edit(read(qbittorrent), '    image: netmigrate/busybox:1\n', '    image: netmigrate/busybox:1.37\n'));
		const drifted = driftedFiles(example.rollback, example.bytes);
		assert.deepEqual(drifted.map((file) => path.relative(example.root, file.path)).sort(), [
			'qbittorrent/docker-compose.yml',
			'traefik/docker-compose.yml',
		]);

		const plan = keepDrift(example.rollback, drifted, {onConflict: 'stop', root: example.root, iteration: 'network-foundation'});
		assert.deepEqual(
			plan.notes.map((note) => note.outcome),
			['merged', 'merged'],
		);
		assert.equal(writesTo(example.rollback, qbittorrent).length, 2);
		const [merge] = writesTo(plan.actions, qbittorrent);
		assert.equal(writesTo(plan.actions, qbittorrent).length, 1);
		const now = read(qbittorrent);
		const expected = edit(
			example.original('qbittorrent/docker-compose.yml'),
			'    image: netmigrate/busybox:1\n',
			'    image: netmigrate/busybox:1.37\n',
		);
		assert.deepEqual(
			{...merge, mode: 0},
			{
				...(writesTo(example.rollback, qbittorrent)[0] as FileWrite),
				mode: 0,
				sha256Before: sha256(now),
				sha256After: sha256(expected),
				previous: now,
				content: expected,
				reason: `restore FIREWALL_OUTBOUND_SUBNETS of gluetun: + 172.20.0.0/16, networks of gluetun, ${keepingChanges}`,
			},
		);
		assert.equal(
			plan.actions.indexOf(merge as FileWrite),
			example.rollback.indexOf(writesTo(example.rollback, qbittorrent)[0] as FileWrite),
			'in place of the first restoring write',
		);
		const untouched = (actions: Action[]) =>
			actions.filter((action) => action.kind !== 'file.write' || (action.path !== traefik && action.path !== qbittorrent));
		assert.deepEqual(
			untouched(plan.actions),
			untouched(example.rollback),
			"files that did not drift and the engine's actions are restored as before",
		);

		assert.ok((await restoreFiles(plan.actions)).every(Boolean));
		assert.equal(read(qbittorrent), expected);
		assert.equal(read(traefik), edit(example.original('traefik/docker-compose.yml'), '    labels:\n', '    # ops\n    labels:\n'));
		assert.equal(read(example.file('jellyfin/docker-compose.yml')), example.original('jellyfin/docker-compose.yml'));
		const journaled = JSON.parse(JSON.stringify(plan.actions)) as Action[];
		assert.deepEqual(
			await restoreFiles(journaled),
			journaled.filter((action) => action.kind === 'file.write').map(() => false),
			'a resumed rollback replays the journaled list and finds every write done',
		);
	});

	test("a file one write behind (a crash between netmigrate's two writes of it) has not drifted", () => {
		const example = appliedExample();
		const qbittorrent = example.file('qbittorrent/docker-compose.yml');
		writeFileSync(qbittorrent, (writesTo(example.rollback, qbittorrent)[0] as FileWrite).content);
		assert.deepEqual(driftedFiles(example.rollback, example.bytes), []);
	});

	test('a conflict stops the rollback before any change, naming the file, its lines and the ways out', () => {
		const example = appliedExample();
		const qbittorrent = example.file('qbittorrent/docker-compose.yml');
		writeFileSync(qbittorrent, edit(read(qbittorrent), '172.20.0.0/16\n', '172.20.0.0/16,10.8.0.0/24\n'));
		const settings = {onConflict: 'stop', root: example.root, iteration: 'network-foundation'} as const;
		const plan = keepDrift(example.rollback, driftedFiles(example.rollback, example.bytes), settings);
		assert.deepEqual(plan.actions, example.rollback, 'nothing rewritten');
		assert.deepEqual(plan.notes, [
			{
				file: 'qbittorrent/docker-compose.yml',
				outcome: 'conflict',
				lines: [19],
				message: 'qbittorrent/docker-compose.yml changed since the apply on or beside the lines netmigrate changed (line 19)',
			},
		]);
		const error = conflictError(plan.notes, settings);
		assert.ok(error instanceof NetmigrateError);
		assert.deepEqual(error.where, {file: qbittorrent, line: 19});
		assert.match(
			error.message,
			/qbittorrent\/docker-compose\.yml changed since the apply on or beside the lines netmigrate changed \(line 19\); nothing was rolled back/,
		);
		assert.match(error.hint ?? '', /--on-conflict theirs.*--on-conflict backup.*\.netmigrate\/backups\/network-foundation\//);
	});

	test("--on-conflict theirs keeps the operator's file as it is and still undoes the engine's changes", async () => {
		const example = appliedExample();
		const qbittorrent = example.file('qbittorrent/docker-compose.yml');
		const theirs = edit(read(qbittorrent), '172.20.0.0/16\n', '172.20.0.0/16,10.8.0.0/24\n');
		writeFileSync(qbittorrent, theirs);
		const plan = keepDrift(example.rollback, driftedFiles(example.rollback, example.bytes), {
			onConflict: 'theirs',
			root: example.root,
			iteration: 'network-foundation',
		});
		assert.deepEqual(writesTo(plan.actions, qbittorrent), []);
		assert.deepEqual(
			plan.actions.filter((action) => action.kind !== 'file.write'),
			example.rollback.filter((action) => action.kind !== 'file.write'),
		);
		assert.match(plan.notes[0]?.message ?? '', /kept as you left it \(its network changes on the engine are still undone\)/);
		await restoreFiles(plan.actions);
		assert.equal(read(qbittorrent), theirs);
	});

	test("--on-conflict backup restores the backup after saving the operator's copy; a deleted file is simply restored", async () => {
		const example = appliedExample();
		const qbittorrent = example.file('qbittorrent/docker-compose.yml');
		const theirs = edit(read(qbittorrent), '172.20.0.0/16\n', '172.20.0.0/16,10.8.0.0/24\n');
		writeFileSync(qbittorrent, theirs);
		const traefik = example.file('traefik/docker-compose.yml');
		unlinkSync(traefik);
		const plan = keepDrift(example.rollback, driftedFiles(example.rollback, example.bytes), {
			onConflict: 'backup',
			root: example.root,
			iteration: 'network-foundation',
		});
		assert.deepEqual(plan.copies, [{file: qbittorrent, content: Buffer.from(theirs)}], 'only a file that exists has a copy to save');
		assert.deepEqual(plan.notes.map((note) => note.message).sort(), [
			'qbittorrent/docker-compose.yml changed since the apply on or beside the lines netmigrate changed (line 19): restored from the backup, your copy saved under .netmigrate/drift/network-foundation/ first',
			'traefik/docker-compose.yml was deleted since the apply: restored from the backup',
		]);
		assert.equal(writesTo(plan.actions, qbittorrent).length, 1);
		assert.ok((await restoreFiles(plan.actions)).every(Boolean));
		assert.equal(read(qbittorrent), example.original('qbittorrent/docker-compose.yml'));
		assert.equal(read(traefik), example.original('traefik/docker-compose.yml'));
	});

	test("the operator's copy is saved 0600 under .netmigrate/drift/<iteration>/<path in the stack>.<time>", () => {
		const example = appliedExample();
		const copy = saveDriftCopy(
			example.root,
			'network-foundation',
			example.file('qbittorrent/docker-compose.yml'),
			Buffer.from('mine\r\n'),
			new Date('2026-11-23T16:45:12.345Z'),
		);
		assert.equal(
			copy,
			path.join(statePaths(example.root).drift, 'network-foundation/qbittorrent/docker-compose.yml.2026-11-23T16-45-12.345Z'),
		);
		assert.equal(read(copy), 'mine\r\n');
		assert.equal(statSync(copy).mode & 0o777, 0o600);
		for (const folder of ['drift', 'drift/network-foundation', 'drift/network-foundation/qbittorrent'])
			assert.equal(statSync(path.join(statePaths(example.root).root, folder)).mode & 0o777, 0o700, folder);
		rmSync(statePaths(example.root).root, {recursive: true, force: true});
	});
});

describe('the rollback preview', () => {
	test('says which files changed since the apply will be merged, and which conflict on which lines', (t) => {
		const stack = copyExampleStack();
		t.after(() => stack.remove());
		const planFile = path.join(stack.root, 'netmigrate.yml');
		const planned = planFromFiles(planFile, 0);
		const journal = new Journal(stack.root);
		for (const [index, action] of planned.steps.flatMap((step) => step.actions).entries()) {
			journal.append({run: 'apply', iteration: 'network-foundation', step: 'apply', id: `apply-${index}`, phase: 'intent', action});
			if (action.kind === 'file.write') writeFileSync(action.path, action.content);
			journal.append({run: 'apply', iteration: 'network-foundation', step: 'apply', id: `apply-${index}`, phase: 'done'});
		}
		new Progress(stack.root).save({
			name: 'network-foundation',
			index: 0,
			status: 'done',
			mode: 'live',
			operator: 'root',
			toolVersion: '0.1.0',
			startedAt: 'now',
			journalStart: 0,
			steps: {},
		});
		const traefik = path.join(stack.root, 'traefik/docker-compose.yml');
		writeFileSync(traefik, edit(read(traefik), '    labels:\n', '    # ops\n    labels:\n'));

		const preview = previewRollback(planFile);
		assert.deepEqual(
			preview.drift.map((note) => [note.file, note.outcome]),
			[['traefik/docker-compose.yml', 'merged']],
		);
		assert.ok(
			preview.actions
				.map((action) => describeAction(action, stack.root))
				.includes('write traefik/docker-compose.yml (restore networks of traefik, keeping your changes since the apply)'),
		);

		const qbittorrent = path.join(stack.root, 'qbittorrent/docker-compose.yml');
		writeFileSync(qbittorrent, edit(read(qbittorrent), '172.20.0.0/16\n', '172.20.0.0/16,10.8.0.0/24\n'));
		const conflicted = previewRollback(planFile);
		assert.deepEqual(
			conflicted.drift.map((note) => [note.file, note.outcome, note.lines]),
			[
				['qbittorrent/docker-compose.yml', 'conflict', [19]],
				['traefik/docker-compose.yml', 'merged', []],
			],
		);
		assert.deepEqual(
			previewRollback(planFile, undefined, 'theirs').drift.map((note) => note.outcome),
			['kept', 'merged'],
		);
	});
});
