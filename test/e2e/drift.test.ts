// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * Rollback over files the operator changed after the apply: their edits are kept and every
 * network change is still undone; an edit on the very line netmigrate changed stops the
 * rollback before anything changes, and `--on-conflict backup` then restores the backup
 * after saving the operator's copy.
 */
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCompose} from '../../source/engine/compose.js';
import {runCli} from '../harness/cli.js';
import {exampleStack} from '../harness/engine.js';
import {membership, stackState} from '../harness/state.js';
import {treeHashes} from '../harness/stack.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

/** The operator's edits, each one line in a file as the example has it. */
const edits = [
	// A comment in a file netmigrate wrote twice (multi-home, then the allow-list): one merge undoes both.
	{
		file: 'qbittorrent/docker-compose.yml',
		from: '  qbittorrent:\n',
		to: "  # qbittorrent lives in gluetun's namespace (ops)\n  qbittorrent:\n",
	},
	// An image tag in the service whose networks netmigrate extended.
	{file: 'traefik/docker-compose.yml', from: '    image: netmigrate/busybox:1\n', to: '    image: netmigrate/busybox:1.37\n'},
	// A variable in .env other than an allow-list one.
	{file: '.env', from: 'PUID=1000\n', to: 'PUID=1001\n'},
];

const inStack = (file: string) => path.join(suite.stack.root, file);
const original = (file: string) => readFileSync(path.join(exampleStack, file), 'utf8');
const withEdit = (text: string, edit: (typeof edits)[number]) => {
	assert.ok(text.includes(edit.from), `${edit.file} has ${JSON.stringify(edit.from)}`);
	return text.replace(edit.from, edit.to);
};

test('rollback keeps what the operator changed since the apply and undoes every network change', async () => {
	const applied = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(applied.exitCode, 0, applied.all);
	for (const edit of edits) writeFileSync(inStack(edit.file), withEdit(readFileSync(inStack(edit.file), 'utf8'), edit));

	const result = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(
		result.stdout,
		/\/qbittorrent\/docker-compose\.yml \(restore FIREWALL_OUTBOUND_SUBNETS of gluetun.*, networks of gluetun, keeping your changes since the apply\)/,
	);
	assert.match(result.stdout, /\/traefik\/docker-compose\.yml \(restore networks of traefik, keeping your changes since the apply\)/);
	assert.match(result.stdout, /10 restored files byte-identical \(sha256\), 2 merged with your changes/);

	for (const edit of edits)
		assert.equal(
			readFileSync(inStack(edit.file), 'utf8'),
			withEdit(original(edit.file), edit),
			`${edit.file}: the operator's edit kept, netmigrate's undone`,
		);
	const now = await stackState(suite.engine.docker, suite.stack.root);
	const untouched = (files: Record<string, string>) =>
		Object.fromEntries(Object.entries(files).filter(([file]) => !edits.some((edit) => edit.file === file)));
	assert.deepEqual(untouched(now.files), untouched(suite.start.files), 'every other file byte-identical to the start');
	assert.deepEqual(now.membership, suite.start.membership, 'every container on exactly its networks from before');
	assert.deepEqual(now.networks, suite.start.networks, 'the networks netmigrate created are gone');
	const gluetun = await suite.engine.docker.getContainer('gluetun').inspect();
	assert.ok(
		gluetun.Config.Env.includes('FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24'),
		'gluetun recreated from the merged file, the allow-list as before',
	);
	assert.equal(
		(await runCompose(suite.project, ['config', '--quiet'])).exitCode,
		0,
		'the merged files stay valid for plain docker compose',
	);
	const status = await runCli(['status'], {cwd: suite.stack.root});
	assert.match(status.stdout, /1\. network-foundation\s+rolled-back/);
});

test('an edit on the allow-list line netmigrate changed stops the rollback before any change; --on-conflict backup saves it and restores the backup', async () => {
	for (const edit of edits) writeFileSync(inStack(edit.file), original(edit.file));
	const applied = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(applied.exitCode, 0, applied.all);
	const qbittorrent = inStack('qbittorrent/docker-compose.yml');
	const theirs = readFileSync(qbittorrent, 'utf8').replace(
		'192.168.1.0/24,172.20.0.0/16\n',
		'192.168.1.0/24,172.20.0.0/16,10.8.0.0/24\n',
	);
	writeFileSync(qbittorrent, theirs);
	const before = await stackState(suite.engine.docker, suite.stack.root);

	const stopped = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(stopped.exitCode, 1, stopped.all);
	assert.match(
		stopped.stderr,
		/qbittorrent\/docker-compose\.yml:19: qbittorrent\/docker-compose\.yml changed since the apply on or beside the lines netmigrate changed \(line 19\); nothing was rolled back/,
	);
	assert.match(stopped.stderr, /--on-conflict theirs.*--on-conflict backup/);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), before, 'nothing changed');
	assert.match((await runCli(['status'], {cwd: suite.stack.root})).stdout, /1\. network-foundation\s+done/);

	const restored = await runCli(['rollback', '--yes', '--on-conflict', 'backup', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(restored.exitCode, 0, restored.all);
	assert.match(
		restored.stdout,
		/saved your copy of qbittorrent\/docker-compose\.yml as \.netmigrate\/drift\/network-foundation\/qbittorrent\/docker-compose\.yml\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z/,
	);
	assert.deepEqual(
		await stackState(suite.engine.docker, suite.stack.root),
		suite.start,
		'files, membership and networks exactly as at the start',
	);
	const drift = inStack('.netmigrate/drift/network-foundation/qbittorrent');
	const copies = readdirSync(drift);
	assert.equal(copies.length, 1);
	assert.equal(readFileSync(path.join(drift, copies[0] as string), 'utf8'), theirs);
	for (const file of Object.keys(treeHashes(inStack('.netmigrate/drift'))))
		assert.equal(statSync(inStack(`.netmigrate/drift/${file}`)).mode & 0o777, 0o600, file);
	assert.deepEqual(await membership(suite.engine.docker), suite.start.membership);
});
