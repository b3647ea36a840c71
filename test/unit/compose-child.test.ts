/**
 * Compose as a child of the run, with real processes (a stand-in `docker` that takes a while and
 * then writes a file, as a recreate takes a while and then is done): a Ctrl-C at the terminal —
 * SIGINT to netmigrate's whole foreground process group — does not cut it, since the first Ctrl-C
 * means "finish the current action"; netmigrate exiting (SIGTERM) takes it down, so it never goes
 * on unseen.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const compose = fileURLToPath(new URL('../../source/engine/compose.ts', import.meta.url));
const folders: string[] = [];
after(() => {
	for (const folder of folders) rmSync(folder, {recursive: true, force: true});
});

/** A run (its own process group, as a terminal's foreground job) whose `docker compose` takes 1.5 s, then writes `finished`. */
function startRun(ignoreFirstCtrlC: boolean) {
	const folder = mkdtempSync(path.join(tmpdir(), 'nm-child-'));
	folders.push(folder);
	const docker = path.join(folder, 'docker');
	writeFileSync(docker, '#!/bin/sh\nsleep 1.5\necho done > finished\n');
	chmodSync(docker, 0o755);
	const script = [
		`const {runCompose} = await import(${JSON.stringify(compose)});`,
		ignoreFirstCtrlC ? "process.on('SIGINT', () => {});" : '',
		`await runCompose({host: 'unix:///nowhere.sock', directory: ${JSON.stringify(folder)}, files: []}, ['up']);`,
		"process.stdout.write('run done');",
	].join('\n');
	const run = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {detached: true, env: {...process.env, NETMIGRATE_DOCKER_CLI: docker}, stdio: ['ignore', 'pipe', 'inherit']});
	let output = '';
	run.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
	const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
	return {run, folder, exited, output: () => output};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a Ctrl-C at the terminal reaches netmigrate, not compose: the action it is doing finishes', async () => {
	const {run, folder, exited, output} = startRun(true);
	await sleep(900);
	process.kill(-(run.pid as number), 'SIGINT');
	assert.equal(await exited, 0);
	assert.ok(existsSync(path.join(folder, 'finished')), 'compose finished its work');
	assert.equal(output(), 'run done');
});

test('netmigrate exiting takes its compose down with it', async () => {
	const {run, folder, exited} = startRun(false);
	await sleep(900);
	process.kill(run.pid as number, 'SIGTERM');
	await exited;
	await sleep(1500);
	assert.ok(!existsSync(path.join(folder, 'finished')), 'compose was stopped, not left to finish unseen');
});
