/**
 * `netmigrate export nomad [--out DIR] [--iteration N]`: writes the Nomad export of the stack
 * as the plan leaves it after iteration N (default: the last one done; with no progress saved
 * yet, the whole plan) — each file atomically, into a folder that is empty or that an earlier
 * export wrote (a `.netmigrate-export` list says which files are ours; `--force` to use any
 * other folder). Reads the stack's files and state only; no engine.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {NetmigrateError} from '../errors.js';
import {writeFileAtomic} from '../engine/files.js';
import {exportNomad, iterationWords, notValidated, type ExportFile} from '../export/nomad/index.js';
import {loadStackStatus} from '../run.js';
import type {StackStatus} from '../runs/status.js';

export type ExportOptions = {plan: string; out?: string; iteration?: number; force: boolean};

/** The list of files an export wrote, so the next export may replace them and nothing else. */
export const exportMarker = '.netmigrate-export';

/** 0-based; -1 for today. `--iteration N` wins; else the last done; no progress at all: the last iteration. */
export function exportIteration(status: StackStatus, given: number | undefined): number {
	const count = status.iterations.length;
	if (given !== undefined) {
		if (given > count)
			throw new NetmigrateError(`the plan has ${count} iterations; there is no iteration ${given}`, {
				code: 'bad-input',
				hint: `pass --iteration between 1 and ${count}`,
			});
		return given - 1;
	}
	if (status.iterations.every((iteration) => iteration.progress === undefined)) return count - 1;
	return status.iterations.reduce((last, iteration) => (iteration.status === 'done' ? iteration.index : last), -1);
}

function ourFiles(folder: string): string[] | undefined {
	try {
		return JSON.parse(readFileSync(path.join(folder, exportMarker), 'utf8')) as string[];
	} catch {
		return undefined;
	}
}

/** Refuses a folder with files an export did not write, unless forced. */
function checkFolder(folder: string, force: boolean): string[] {
	if (!existsSync(folder)) return [];
	const ours = ourFiles(folder);
	if (ours || force || readdirSync(folder).length === 0) return ours ?? [];
	throw new NetmigrateError(`${folder} (--out) is not empty and no netmigrate export wrote it`, {
		code: 'bad-input',
		hint: 'pass --out with a new or empty folder, or --force to write into this one (files of the same names are replaced)',
	});
}

function writeAll(folder: string, files: ExportFile[], previous: string[]): void {
	const names = files.map((entry) => entry.file);
	mkdirSync(folder, {recursive: true});
	// The list first, with the old names too: an export cut short leaves a folder the next one may replace.
	writeFileAtomic(path.join(folder, exportMarker), `${JSON.stringify([...new Set([...previous, ...names])], null, 2)}\n`, {mode: 0o644});
	for (const entry of files) {
		const target = path.join(folder, entry.file);
		mkdirSync(path.dirname(target), {recursive: true});
		writeFileAtomic(target, entry.text, {mode: 0o644});
	}
	for (const stale of previous.filter((name) => !names.includes(name) && !path.isAbsolute(name) && !name.includes('..')))
		rmSync(path.join(folder, stale), {force: true});
	writeFileAtomic(path.join(folder, exportMarker), `${JSON.stringify(names, null, 2)}\n`, {mode: 0o644});
}

export async function exportCommand(target: string | undefined, options: ExportOptions, write: (text: string) => void): Promise<number> {
	if (target !== 'nomad') {
		throw new NetmigrateError(target ? `netmigrate cannot export to ${target}` : 'export what?', {
			code: 'bad-input',
			hint: 'use `netmigrate export nomad [--out DIR] [--iteration N]`',
		});
	}
	const {loaded, status} = loadStackStatus(options.plan);
	const iteration = exportIteration(status, options.iteration);
	const folder = path.resolve(options.out ?? 'nomad');
	const previous = checkFolder(folder, options.force);
	const {model, files} = exportNomad(loaded.project, loaded.plan, iteration);
	writeAll(folder, files, previous);
	const reachable = model.pairs.filter((pair) => pair.via.length > 0).length;
	write(
		`Nomad export of ${loaded.project.projectName}, ${iterationWords(loaded.plan, iteration)}: ${model.groups.length} groups, ${reachable} reachable pairs, ${model.intentions.length} intentions`,
	);
	for (const entry of files) write(`  wrote ${path.join(folder, entry.file)}`);
	if (model.notCarried.length > 0) write(`  not carried: ${model.notCarried.length} setting(s), listed in README.md`);
	write(notValidated);
	return 0;
}
