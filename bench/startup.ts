/**
 * Start-up: `--help` (what an operator pays for every headless command), and the wizard's
 * first frame and its home screen in a real pseudo-terminal, measured from spawn, on the
 * example stack's plan (its services not started) — for the Node-run CLI and for the single
 * executable (`npm run build:sea`) side by side.
 */
import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {wizardFrames} from '../test/harness/pty.js';
import {cli, median, ms, repoRoot} from './lib.js';

export type StartupFigures = {helpMs: number; firstFrameMs: number; homeMs: number};
export type StartupResult = StartupFigures & {runs: number; singleExecutable: StartupFigures; executableMb: number};

export const singleExecutable = path.join(repoRoot, `dist/sea/netmigrate-linux-${process.arch}`);

export async function startup(host: string, runs = 7): Promise<StartupResult> {
	if (!existsSync(singleExecutable)) throw new Error(`${singleExecutable} is missing: run \`npm run build:sea\` first`);
	return {
		...(await measure([process.execPath, cli], host, runs)),
		runs,
		singleExecutable: await measure([singleExecutable], host, runs),
		executableMb: statSync(singleExecutable).size / 1e6,
	};
}

async function measure(command: string[], host: string, runs: number): Promise<StartupFigures> {
	const [program, ...prefix] = command as [string, ...string[]];
	const help: number[] = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		await execa(program, [...prefix, '--help']);
		help.push(performance.now() - started);
	}
	const frames: number[] = [];
	const homes: number[] = [];
	const plan = path.join(repoRoot, 'examples/media-stack/netmigrate.yml');
	for (let run = 0; run < runs; run++) {
		const {first, home} = await wizardFrames([...command, '--plan', plan, '--host', host]);
		frames.push(first);
		homes.push(home);
	}
	return {helpMs: median(help), firstFrameMs: median(frames), homeMs: median(homes)};
}

/** The start-up table of bench/RESULTS.md: one column per way of running netmigrate. */
export function startupTable(boot: StartupResult, engine: string): string[] {
	const row = (label: string, pick: (figures: StartupFigures) => number) =>
		`| ${label} | ${ms(pick(boot))} | ${ms(pick(boot.singleExecutable))} |`;
	return [
		`| measure (median of ${boot.runs}) | \`node bin/netmigrate.js\` | single executable (${boot.executableMb.toFixed(0)} MB) |`,
		'|---|---|---|',
		row('`netmigrate --help`', (figures) => figures.helpMs),
		row("wizard's first frame (pty, from spawn)", (figures) => figures.firstFrameMs),
		row(`wizard's home screen (core loaded, plan, stack and ${engine} read)`, (figures) => figures.homeMs),
	];
}
