/**
 * Bytes the wizard writes to the terminal during a run of iteration 1, with no engine: the real
 * App, drawn by Ink as on a terminal (not Ink's debug mode) into an 80×24 fake stdout that counts
 * bytes, and a core whose apply replays iteration 1's events at the pace measured on the example
 * stack (bench/RESULTS.md, the README's run screen: networks 3.3 s, multi-home 4.7 s, the
 * firewall's recreate 3 s). Prints the bytes of the whole run and the peak over any one second,
 * against a 64 kbit/s link (8000 bytes/s).
 *
 *   node --import tsx bench/frames-run.ts
 *
 * Ink prints only the last frame when the environment says CI (is-in-ci): run it without `CI`.
 */
import {EventEmitter} from 'node:events';
import {createElement} from 'react';
import type {RunEvent} from '../source/events.js';
import type {WizardRunOptions} from '../source/core.js';
import type {ApplyResult} from '../source/run.js';
import {stepInfos} from '../steps/index.js';

type Step = {step: string; title: string; actions: number; eachMs: number; label: (index: number) => string};

const services = [
	'traefik',
	'cloudflared',
	'jellyfin',
	'jellyseerr',
	'web-ui',
	'sonarr',
	'radarr',
	'prowlarr',
	'bazarr',
	'gluetun',
	'prometheus',
	'grafana',
	'cadvisor',
	'node-exporter',
	'alertmanager',
	'dozzle',
	'autoheal',
];
const networks = ['dmz-net', 'frontend-net', 'backend-net', 'download-net', 'mgmt-net', 'security-net'];

/** Iteration 1 of the example stack, as the run screen sees it. */
export const iterationOne: Step[] = [
	{step: 'preflight', title: 'Preflight', actions: 0, eachMs: 175, label: () => ''},
	{step: 'backup', title: 'Backup', actions: 0, eachMs: 70, label: () => ''},
	{
		step: 'networks',
		title: 'Create networks',
		actions: 6,
		eachMs: 550,
		label: (index) => `create network ${networks[index]} (172.20.${index}.0/24)`,
	},
	{
		step: 'multihome',
		title: 'Multi-home services',
		actions: 39,
		eachMs: 120,
		label: (index) =>
			`connect ${services[index % services.length]} to ${networks[index % networks.length]} as ${services[index % services.length]}`,
	},
	{
		step: 'firewall',
		title: 'Update firewall allow-lists',
		actions: 2,
		eachMs: 1500,
		label: (index) =>
			index === 0
				? 'write qbittorrent/docker-compose.yml (FIREWALL_OUTBOUND_SUBNETS of gluetun)'
				: 'recreate gluetun → qbittorrent (load FIREWALL_OUTBOUND_SUBNETS)',
	},
	{step: 'checks', title: 'Connectivity checks', actions: 6, eachMs: 170, label: () => ''},
	{step: 'report', title: 'Report', actions: 0, eachMs: 40, label: () => ''},
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function replay(emit: (event: RunEvent) => void, plan: Step[]): Promise<number> {
	const started = Date.now();
	emit({type: 'run-start', run: 'apply', iteration: 'network-foundation', index: 0, mode: 'live', resumed: false, steps: stepInfos});
	for (const step of plan) {
		const stepStart = Date.now();
		emit({type: 'step-start', step: step.step, title: step.title, total: step.actions});
		if (step.actions === 0) await sleep(step.eachMs);
		for (let index = 0; index < step.actions; index++) {
			if (step.step === 'checks') {
				await sleep(step.eachMs);
				emit({
					type: 'check',
					result: {
						from: services[index] ?? 'x',
						to: `${services[index + 1] ?? 'y'}:80`,
						via: networks[index % networks.length],
						expect: 'reachable',
						ok: true,
						outcome: 'reachable',
						address: '172.20.1.3',
						latencyMs: 3.5,
						resolved: [],
						detail: 'HTTP 200',
					},
				});
				continue;
			}
			const description = step.label(index);
			emit({type: 'action-start', step: step.step, id: `${step.step}-${index}`, description});
			await sleep(step.eachMs);
			emit({
				type: 'action-done',
				step: step.step,
				id: `${step.step}-${index}`,
				description,
				durationMs: step.eachMs,
				already: false,
				done: index + 1,
				total: step.actions,
			});
		}
		emit({
			type: 'step-done',
			step: step.step,
			title: step.title,
			durationMs: Date.now() - stepStart,
			summary: step.actions ? `${step.actions} applied` : 'ready',
		});
	}
	emit({type: 'run-done', run: 'apply', iteration: 'network-foundation', durationMs: Date.now() - started, summary: 'done'});
	return Date.now() - started;
}

class CountingStdout extends EventEmitter {
	isTTY = true;
	columns = 80;
	rows = 24;
	writes: Array<{at: number; bytes: number}> = [];
	write = (chunk: string | Uint8Array) => {
		this.writes.push({at: performance.now(), bytes: typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length});
		return true;
	};
}

/** A terminal's keyboard: write() is one read, as in ink-testing-library. */
class Keyboard extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	setRawMode() {}
	setEncoding() {}
	ref() {}
	unref() {}
	write(data: string) {
		this.data = data;
		this.emit('readable');
	}
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
}

export type FrameResult = {bytes: number; writes: number; durationMs: number; peakBytesPerSecond: number; meanBytesPerSecond: number};

/** Renders the wizard's App through one simulated apply of iteration 1 and counts what Ink writes. */
export async function measureFrames(
	options: {maxFps?: number; incrementalRendering?: boolean} = {},
	plan: Step[] = iterationOne,
): Promise<FrameResult> {
	const [{render}, {App}, {KeyStream}, {overview, review}] = await Promise.all([
		import('ink'),
		import('../source/app.js'),
		import('../source/ui/key-stream.js'),
		import('../test/harness/fixtures.js'),
	]);
	const stdout = new CountingStdout();
	let runStart = 0;
	let runEnd = 0;
	let finished: () => void = () => {};
	const done = new Promise<void>((resolve) => {
		finished = resolve;
	});
	const core = {
		loadOverview: async () => overview(),
		loadReview: async () => review(),
		applyIteration: async (options: WizardRunOptions): Promise<ApplyResult> => {
			runStart = performance.now();
			const durationMs = await replay(options.emit ?? (() => {}), plan);
			runEnd = performance.now();
			setTimeout(finished, 300);
			return {
				status: 'done',
				iteration: 'network-foundation',
				index: 0,
				durationMs,
				checks: [],
				health: [],
				restarts: [],
				networksCreated: 6,
				servicesMultihomed: 17,
				movedRoutes: [],
			};
		},
		rollbackIteration: async () => {
			throw new Error('not measured');
		},
		settleStack: async () => {
			throw new Error('not measured');
		},
		previewRollback: async () => {
			throw new Error('not measured');
		},
		checksOnly: async () => ({checks: [], health: []}),
		journalLines: async () => [],
		readText: async () => '',
		loadMap: async () => {
			throw new Error('not measured');
		},
		verifyIsolation: async () => {
			throw new Error('not measured');
		},
		recentStacks: async () => [],
	};
	const keyboard = new Keyboard();
	const instance = render(
		createElement(App, {core, planFile: '/srv/media/netmigrate.yml', host: 'unix:///x.sock', yes: true, onExit: () => {}}),
		{
			stdout: stdout as never,
			stdin: new KeyStream(keyboard) as never,
			stderr: new CountingStdout() as never,
			exitOnCtrlC: false,
			patchConsole: false,
			...options,
		},
	);
	// Home: Enter on "Start iteration 1" opens the review; Enter there starts the run.
	await sleep(500);
	keyboard.write('\r');
	await sleep(500);
	keyboard.write('\r');
	await done;
	instance.unmount();
	const during = stdout.writes.filter((write) => write.at >= runStart && write.at <= runEnd);
	const bytes = during.reduce((total, write) => total + write.bytes, 0);
	return {
		bytes,
		writes: during.length,
		durationMs: runEnd - runStart,
		peakBytesPerSecond: peakPerSecond(during),
		meanBytesPerSecond: bytes / ((runEnd - runStart) / 1000),
	};
}

/** The most bytes written within any one-second window. */
export function peakPerSecond(writes: Array<{at: number; bytes: number}>): number {
	let peak = 0;
	let start = 0;
	let sum = 0;
	for (const write of writes) {
		sum += write.bytes;
		while (write.at - (writes[start]?.at ?? write.at) > 1000) sum -= writes[start++]?.bytes ?? 0;
		peak = Math.max(peak, sum);
	}
	return peak;
}
