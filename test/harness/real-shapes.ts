/**
 * Runs a real-shapes corpus stack (test/corpus/real-shapes) on the private engine, as its owner
 * would run it, with no image from a registry:
 *
 * - every image the stack names is a stand-in tagged with that name, committed from the offline
 *   busybox: its entrypoint serves, with busybox `httpd`, each TCP port the corpus says the image
 *   listens on, and ignores the arguments compose passes (the real image's flags or subcommand);
 *   an image that listens on nothing runs its `command:` when busybox has the program, else sleeps.
 *   So a service's `command:` needs no stand-in: corpus.json's `standIn.command` is not applied.
 * - the stack's files change only where busybox cannot run what they say, and each change is
 *   corpus.json's `standIn` (with its `why`): a healthcheck calling curl, dig, node, pg_isready…
 *   becomes a `wget` of the stand-in's port, an `entrypoint:` naming a script busybox lacks
 *   becomes a sleep. A macvlan network's `parent:` becomes one end of a veth pair the test
 *   creates, so nothing is ever sent on the machine's own link. These edits land before the stack starts
 *   and before `init`: the files netmigrate reads and edits are the owner's shapes, byte for byte
 *   elsewhere.
 */
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import {execa} from 'execa';
import {isMap, isPair, isScalar, parseDocument, type Pair, type YAMLMap} from 'yaml';
import {busyboxImage} from '../../source/engine/image.js';
import {corpusRoot, readStack, type CorpusStack} from '../corpus/real-shapes/status.js';

export type PreparedStack = {
	name: string;
	stack: CorpusStack;
	root: string;
	env: Record<string, string>;
	standIns: string[];
	remove: () => void;
};

/** A copy of the stack under a folder of the same name (compose names projects after it), stand-ins applied. */
export function prepareStack(name: string, host: string, parent: string): PreparedStack {
	const stack = readStack(name);
	const temp = mkdtempSync(path.join(tmpdir(), 'nm-real-shapes-'));
	const root = path.join(temp, name);
	cpSync(path.join(corpusRoot, name), root, {recursive: true, filter: (source) => !/\/(README\.md|corpus\.json)$/.test(source)});
	const standIns = applyStandIns(root, stack, parent);
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: process.env.HOME ?? '/root',
		DOCKER_HOST: host,
		...stack.environment,
	};
	if (process.env.DOCKER_CONFIG) env.DOCKER_CONFIG = process.env.DOCKER_CONFIG;
	return {name, stack, root, env, standIns, remove: () => rmSync(temp, {recursive: true, force: true})};
}

/** `docker compose` in the stack's folder, as its owner runs it (its `-f`, `--env-file`, shell variables). */
export async function compose(prepared: PreparedStack, args: string[]) {
	return execa('docker', ['compose', ...prepared.stack.composeArgs, ...args], {
		cwd: prepared.root,
		env: prepared.env,
		extendEnv: false,
		reject: false,
		all: true,
	});
}

/**
 * Brings the stack up and waits as `up --wait` would, except that a one-shot service that exited
 * 0 (`restart: "no"`) is done, not a failure, and a healthcheck compose asks the image for
 * (`healthcheck: {disable: false}`) is absent from a stand-in, so that container only has to run.
 */
export async function upAndWait(prepared: PreparedStack, docker: Docker, timeoutMs = 180_000): Promise<string> {
	const up = await compose(prepared, ['up', '-d']);
	if (up.exitCode !== 0) return up.all ?? '';
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const waiting: string[] = [];
		for (const summary of await docker.listContainers({
			all: true,
			filters: {label: [`com.docker.compose.project=${prepared.stack.project}`]},
		})) {
			const inspected = await docker.getContainer(summary.Id).inspect();
			const done =
				inspected.State.Status === 'exited' && inspected.State.ExitCode === 0 && inspected.HostConfig.RestartPolicy?.Name === 'no';
			const ready = inspected.State.Status === 'running' && (inspected.State.Health?.Status ?? 'healthy') === 'healthy';
			if (!done && !ready)
				waiting.push(`${inspected.Name.slice(1)} ${inspected.State.Status} ${inspected.State.Health?.Status ?? ''}`.trim());
		}
		if (waiting.length === 0) return '';
		if (Date.now() > deadline) return `not ready after ${timeoutMs / 1000} s: ${waiting.join(', ')}`;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** One stand-in image per image name the stacks use, serving the union of the ports its services listen on. */
export async function buildStandInImages(docker: Docker, stacks: CorpusStack[]): Promise<void> {
	const ports = new Map<string, Set<number>>();
	for (const stack of stacks) {
		for (const service of Object.values(stack.services)) {
			const set = ports.get(service.image) ?? new Set<number>();
			for (const listen of service.listens) if (listen.proto === 'tcp') set.add(listen.port);
			ports.set(service.image, set);
		}
	}
	const base = await docker.createContainer({Image: busyboxImage, Cmd: ['true']});
	try {
		for (const [image, served] of ports) {
			const at = image.lastIndexOf(':') > image.lastIndexOf('/') ? image.lastIndexOf(':') : image.length;
			await base.commit({
				_query: {container: base.id, repo: image.slice(0, at), tag: image.slice(at + 1) || 'latest'},
				_body: {
					Entrypoint: ['/bin/sh', '-c', standInScript([...served].sort((a, b) => a - b)), image],
					Cmd: null,
					Env: ['PATH=/bin:/sbin'],
				},
			} as never);
		}
	} finally {
		await base.remove({force: true});
	}
}

/**
 * The stand-in's program: a web root (`/` and `/health` answer) on /dev/shm (writable by any user, even in a read-only
 * container), one daemonised httpd per port, then PID 1 waits and exits at once on SIGTERM.
 */
function standInScript(ports: number[]): string {
	return [
		'www=/dev/shm/www; mkdir -p "$www" && echo stand-in > "$www/index.html" && echo ok > "$www/health"',
		...ports.map((port) => `httpd -p ${port} -h "$www"`),
		ports.length === 0 ? 'if [ $# -gt 0 ] && command -v "$1" >/dev/null 2>&1; then exec "$@"; fi' : '',
		"trap 'exit 0' TERM INT",
		'while :; do sleep 3600 & wait $!; done',
	]
		.filter(Boolean)
		.join('\n');
}

/** corpus.json's entrypoint and healthcheck stand-ins, and the macvlan parent; returns what was changed and why. */
function applyStandIns(root: string, stack: CorpusStack, parent: string): string[] {
	const changed: string[] = [];
	for (const [service, facts] of Object.entries(stack.services)) {
		const standIn = facts.standIn;
		if (standIn?.entrypoint) changed.push(setServiceValue(root, service, ['entrypoint'], standIn.entrypoint, standIn.why));
		if (standIn?.healthcheck) changed.push(setServiceValue(root, service, ['healthcheck', 'test'], standIn.healthcheck, standIn.why));
	}
	for (const file of yamlFiles(root)) {
		const text = readFileSync(file, 'utf8');
		const next = text.replace(/^(\s+parent:\s*)eth0\s*$/m, `$1${parent}`);
		if (next !== text) {
			writeFileSync(file, next);
			changed.push(`${path.relative(root, file)}: macvlan parent eth0 → ${parent} (a veth pair: nothing leaves the machine)`);
		}
	}
	return changed;
}

function yamlFiles(root: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(root)) {
		const full = path.join(root, entry);
		if (statSync(full).isDirectory()) found.push(...yamlFiles(full));
		else if (/\.ya?ml$/.test(entry)) found.push(full);
	}
	return found.sort();
}

/**
 * Replaces the value at `keys` in the service's map, in the file that sets it (else the file
 * that gives the service its image), as a JSON flow sequence over the old value's bytes only;
 * a missing key is added as one line at the service's indent (a missing healthcheck with a
 * 2 s interval, so `service_healthy` waits stay short).
 */
function setServiceValue(root: string, service: string, keys: string[], value: string[], why: string): string {
	const candidates = yamlFiles(root)
		.map((file) => ({file, text: readFileSync(file, 'utf8')}))
		.map((entry) => ({...entry, map: serviceMap(entry.text, service)}));
	const withKey = candidates.find((entry) => entry.map && valuePair(entry.map, keys));
	const target = withKey ?? candidates.find((entry) => entry.map?.has('image'));
	if (!target?.map) throw new Error(`stand-in: no file defines service ${service}`);
	const pair = valuePair(target.map, keys);
	const json = JSON.stringify(value);
	let next: string;
	const range = (pair?.value as {range?: [number, number, number]} | undefined)?.range;
	if (range) {
		next = target.text.slice(0, range[0]) + json + target.text.slice(range[1]);
	} else {
		const first = target.map.items[0] as Pair;
		const offset = (first.key as {range: [number, number, number]}).range[0];
		const lineStart = target.text.lastIndexOf('\n', offset) + 1;
		const indent = target.text.slice(lineStart, offset);
		const line = keys.length === 1 ? `${keys[0]}: ${json}` : `healthcheck: {test: ${json}, interval: 2s, retries: 30}`;
		next = `${target.text.slice(0, lineStart)}${indent}${line}\n${target.text.slice(lineStart)}`;
	}
	writeFileSync(target.file, next);
	return `${path.relative(root, target.file)}: ${service} ${keys.join('.')} → ${json} (${why})`;
}

function serviceMap(text: string, service: string): YAMLMap | undefined {
	const document = parseDocument(text);
	const services = document.get('services');
	if (!isMap(services)) return undefined;
	const node = services.get(service, true);
	return isMap(node) ? node : undefined;
}

function valuePair(map: YAMLMap, keys: string[]): Pair | undefined {
	let current: unknown = map;
	let found: Pair | undefined;
	for (const key of keys) {
		if (!isMap(current)) return undefined;
		found = current.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key) as Pair | undefined;
		if (!found) return undefined;
		current = found.value;
	}
	return found;
}
