/**
 * A reviewed plan, made and held to: `plan --out` and the wizard's review make the value
 * (source/plan/saved.ts) from the files and one reading of the engine; apply, given it, checks
 * the files by sha256 before it takes the lock, then reads the engine once more and plans again:
 * any change in what the plan was made from, or in the actions it gives, refuses the run before
 * anything is recorded, naming the file, network or container (source/plan/stale.ts).
 */
import {NetmigrateError} from '../errors.js';
import {readFileSync} from 'node:fs';
import type {IterationPlan} from '../actions.js';
import type {ComposeModel} from '../compose/project.js';
import type {Discovered} from '../domain.js';
import {discover} from '../engine/discover.js';
import type {Engine} from '../engine/docker.js';
import {readFileState} from '../engine/files.js';
import {fileDiffs} from '../plan/dryrun.js';
import type {LoadedPlan} from '../plan/load.js';
import {engineFactsOf, savedPlanOf, type SavedPlan} from '../plan/saved.js';
import {actionChanges, engineChanges, fileChanges, parseSavedPlan, staleError} from '../plan/stale.js';
import {toolVersion} from '../version.js';
import {planIteration} from '../../steps/index.js';

const hashOf = (file: string) => readFileState(file)?.sha256;

/** Every file the planner reads: each compose file (includes, extends bases), each env file for interpolation, each service's env_file. */
export function stackFilesOf(project: ComposeModel): string[] {
	const files = new Set<string>([...project.files.keys(), ...project.envFiles.map((file) => file.path)]);
	for (const service of project.services.values()) for (const file of service.envFiles) files.add(file);
	return [...files];
}

/** The saved value of an iteration planned from `discovered` (an engine's reading), with the masked diffs the reader sees. */
export function savePlanned(
	planFile: string,
	loaded: LoadedPlan,
	planned: IterationPlan,
	discovered: Discovered,
	engineVersion: string,
): SavedPlan {
	const {project, plan} = loaded;
	const inputs = {
		root: project.root,
		project: project.projectName,
		planFile,
		planSha256: hashOf(planFile) ?? '',
		files: stackFilesOf(project),
		tool: toolVersion(),
	};
	return savedPlanOf(planned, inputs, engineFactsOf(discovered, engineVersion), hashOf, fileDiffs(planned, project, plan));
}

/** A saved plan file read back (refused when it is not one). */
export function readSavedPlan(file: string): SavedPlan {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
		throw new NetmigrateError(`\`apply ${file}\`: there is no saved plan ${file}`, {
			code: 'bad-input',
			where: {file},
			hint: /^\d+$/.test(file)
				? `to choose an iteration, write --iteration ${file}`
				: '`netmigrate plan --out FILE` saves a plan for `apply FILE`; plain `netmigrate apply` plans the next iteration afresh',
		});
	}
	return parseSavedPlan(text, file);
}

/** Before the lock: the plan file and the stack's files as the saved plan found them. */
export function checkSavedFiles(saved: SavedPlan, file: string | undefined): void {
	const changes = fileChanges(saved, hashOf);
	if (changes.length > 0) throw staleError(file, changes);
}

/**
 * Under the lock, before anything is recorded: the engine read as `plan` read it, then the
 * iteration planned again from it; returns that plan (exactly the saved actions, with the
 * file texts the saved value leaves out) and the reading, or refuses naming what changed.
 */
export async function holdSavedPlan(
	saved: SavedPlan,
	file: string | undefined,
	engine: Engine,
	loaded: LoadedPlan,
): Promise<{planned: IterationPlan; discovered: Discovered}> {
	checkSavedFiles(saved, file);
	const [discovered, version] = await Promise.all([
		discover(engine, loaded.project.projectName, {forPlanning: true, target: loaded.plan.target}),
		engine.version(),
	]);
	const changed = engineChanges(saved.engine, engineFactsOf(discovered, version.version));
	if (changed.length > 0) throw staleError(file, changed);
	const planned = planIteration(loaded.plan, saved.iteration.index, loaded.project, discovered, saved.iteration.mode);
	const differs = actionChanges(saved, planned);
	if (differs.length > 0) throw staleError(file, differs);
	return {planned, discovered};
}
