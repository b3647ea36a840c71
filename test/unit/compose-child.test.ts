/**
 * Compose as a child of the run, with real processes (a stand-in `docker` that takes a while and
 * then writes a file, as a recreate takes a while and then is done): a Ctrl-C at the terminal —
 * SIGINT to netmigrate's whole foreground process group — does not cut it, since the first Ctrl-C
 * means "finish the current action"; netmigrate exiting (SIGTERM) takes it down, so it never goes
 * on unseen. The signals are sent once the stand-in says it has started (its pid in `started`),
 * never after a fixed pause: tsx's start-up on a busy machine can outlast any pause.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const compose = fileURLToPath(new URL('../../source/engine/compose.ts', import.meta.url));
const folders: string[] = [];
after(() => {
	for (const folder of folders) rmSync(folder, {recursive: true, force: true});
});

/** A run (its own process group, as a terminal's foreground job) whose `docker compose` writes its pid to `started`, takes 1.5 s, then writes `finished`. */
function startRun(ignoreFirstCtrlC: boolean) {
	const folder = mkdtempSync(path.join(tmpdir(), 'nm-child-'));
	folders.push(folder);
	const docker = path.join(folder, 'docker');
	writeFileSync(docker, '#!/bin/sh\necho $$ > started.tmp && mv started.tmp started\nsleep 1.5\necho done > finished\n');
	chmodSync(docker, 0o755);
	const script = [
		`const {runCompose} = await import(${JSON.stringify(compose)});`,
		ignoreFirstCtrlC ? "process.on('SIGINT', () => {});" : '',
		`await runCompose({host: 'unix:///nowhere.sock', directory: ${JSON.stringify(folder)}, files: []}, ['up']);`,
		"process.stdout.write('run done');",
	].join('\n');
	const run = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
		detached: true,
		env: {...process.env, NETMIGRATE_DOCKER_CLI: docker},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let output = '';
	run.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
	const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
	return {run, folder, exited, output: () => output};
}

/** Resolves once `file` exists in `folder` (watched, not polled), with its content. */
function fileAppears(folder: string, name: string, timeoutMs = 60_000): Promise<string> {
	const file = path.join(folder, name);
	return new Promise((resolve, reject) => {
		const watcher = watch(folder);
		const timer = setTimeout(() => finish(new Error(`${name} never appeared in ${folder}`)), timeoutMs);
		const finish = (error?: Error) => {
			clearTimeout(timer);
			watcher.close();
			if (error) reject(error);
			else resolve(readFileSync(file, 'utf8'));
		};
		watcher.on('change', () => existsSync(file) && finish());
		if (existsSync(file)) finish();
	});
}

/** Whether a process is still running: there, and not a zombie waiting for whoever adopted it to reap it. */
function alive(pid: number): boolean {
	try {
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

test('a Ctrl-C at the terminal reaches netmigrate, not compose: the action it is doing finishes', async () => {
	const {run, folder, exited, output} = startRun(true);
	await fileAppears(folder, 'started');
	process.kill(-(run.pid as number), 'SIGINT');
	assert.equal(await exited, 0);
	assert.ok(existsSync(path.join(folder, 'finished')), 'compose finished its work');
	assert.equal(output(), 'run done');
});

test('netmigrate exiting takes its compose down with it', async () => {
	const {run, folder, exited} = startRun(false);
	const compose = Number(await fileAppears(folder, 'started'));
	process.kill(run.pid as number, 'SIGTERM');
	await exited;
	const deadline = Date.now() + 10_000;
	while (alive(compose) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
	assert.ok(!alive(compose), 'the compose process is gone');
	assert.ok(!existsSync(path.join(folder, 'finished')), 'compose was stopped, not left to finish unseen');
});
