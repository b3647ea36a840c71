/**
 * Runs: apply an iteration (or resume an interrupted one), roll one back, read the status.
 * The one API the headless commands and the wizard both drive; it emits RunEvents and never
 * prints. Order of an apply: lock → preflight → backup → host-changing steps (each records its
 * action list in the journal when it starts, then the executor applies it) → checks → report.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import type {Action, FileWrite, ServiceRecreate} from './actions.js';
import type {ComposeProject} from './engine/compose.js';
import {defaultRoutesOf, movedDefaultRoutes, type MovedRoute} from './engine/default-routes.js';
import {discover} from './engine/discover.js';
import {Engine} from './engine/docker.js';
import {readFileState} from './engine/files.js';
import {Prober} from './engine/probe.js';
import {NetmigrateError} from './errors.js';
import {toolVersion} from './version.js';
import type {Emit} from './events.js';
import {runActions, StopRequested, type ExecutorContext} from './executor.js';
import {loadPlan, parsePlan, type LoadedPlan} from './plan/load.js';
import {backup, membershipOf} from '../steps/backup.js';
import {checkHealth, runChecks, type CheckResult, type HealthResult} from '../steps/checks.js';
import type {Mode} from '../steps/context.js';
import {planIteration, steps, type IterationPlan, type StepInfo, type StepName} from '../steps/index.js';
import {preflight} from '../steps/preflight.js';
import {renderReport} from '../steps/report.js';
import {backedUpContent, readBackup, writeReport, type BackupManifest} from '../state/backup.js';
import {actionsOf, Journal, outcomes, plannedActions, readJournal, type JournalEntry} from '../state/journal.js';
import {acquireLock, operatorName, readLock, type LockInfo} from '../state/lock.js';
import {Progress, readProgress, type IterationProgress, type ProgressView, type StepProgress} from '../state/progress.js';

export type RunOptions = {
	planFile: string;
	host: string;
	/** 1-based; default: the next iteration not done (apply) or the newest applied one (rollback). */
	iteration?: number;
	mode?: Mode;
	emit: Emit;
	/** Asked before each step that changes the host; answering false stops (state saved). Absent: --yes. */
	confirm?: (step: StepInfo, actions: Action[]) => Promise<boolean>;
	stopRequested?: () => boolean;
	probeImage?: string;
	concurrency?: number;
};

export type ApplyResult = {
	status: 'done' | 'already-done';
	iteration: string;
	index: number;
	durationMs: number;
	report?: string;
	checks: CheckResult[];
	health: HealthResult[];
	restarts: Array<{services: string[]; durationMs: number}>;
	networksCreated: number;
	servicesMultihomed: number;
	/** Containers whose default route moved to another network (engines on this machine only). */
	movedRoutes: MovedRoute[];
};

export type RollbackResult = {iteration: string; index: number; durationMs: number; restoredFiles: string[]; verified: string[]; nothingToDo: boolean};

/** The stack root a plan file points at, without validating the plan against the files. */
export function stackRootOf(planFile: string): string {
	const {plan} = parsePlan(planFile, readFileSync(planFile, 'utf8'));
	return path.resolve(path.dirname(planFile), plan.stack.root);
}

/**
 * The plan, validated against the stack as its progress says it is: checks that only hold
 * before an iteration ran (a port it unpublishes is still published) are skipped for the
 * iterations already started or done — plus `also`, the one about to run.
 */
export function loadStackPlan(planFile: string, also?: string): LoadedPlan {
	return loadWithProgress(planFile, readProgress, also).loaded;
}

/** For apply and rollback, which write progress. */
function loadForRun(planFile: string): {loaded: LoadedPlan; progress: Progress} {
	return loadWithProgress(planFile, (root) => new Progress(root));
}

function loadWithProgress<P extends ProgressView>(planFile: string, open: (root: string) => P, also?: string): {loaded: LoadedPlan; progress: P} {
	let root: string;
	try {
		root = stackRootOf(planFile);
	} catch (error) {
		// The full load reports missing files and bad plans with every problem.
		loadPlan(planFile);
		throw error;
	}
	const progress = open(root);
	const started = new Set(Object.values(progress.all()).filter((item) => item.status !== 'pending' && item.status !== 'rolled-back').map((item) => item.name));
	if (also !== undefined) started.add(also);
	return {loaded: loadPlan(planFile, {startedIterations: started}), progress};
}

function composeProjectOf(loaded: LoadedPlan, host: string): ComposeProject {
	return {host, directory: loaded.project.root, files: loaded.plan.stack.files, name: loaded.project.projectName};
}

async function connectEngine(host: string): Promise<Engine> {
	const engine = new Engine(host);
	await engine.version();
	return engine;
}

export async function applyIteration(options: RunOptions): Promise<ApplyResult> {
	const {loaded, progress} = loadForRun(options.planFile);
	const {plan} = loaded;
	const root = loaded.project.root;
	const index = chooseApplyIteration(plan.iterations.map((item) => item.name), progress, options.iteration);
	const iteration = plan.iterations[index] as LoadedPlan['plan']['iterations'][number];
	const lock = acquireLock(root, `apply --iteration ${index + 1}`);
	if (lock.tookOverStale) options.emit({type: 'log', level: 'warn', message: `took over a stale lock left by pid ${lock.tookOverStale.pid} (${lock.tookOverStale.command})`});
	try {
		const engine = await connectEngine(options.host);
		const journal = new Journal(root);
		const existing = progress.iteration(iteration.name);
		if (existing?.status === 'done') {
			options.emit({type: 'log', level: 'info', message: `iteration ${index + 1} (${iteration.name}) is already done`});
			return {status: 'already-done', iteration: iteration.name, index, durationMs: 0, checks: existing.checks ?? [], health: existing.health ?? [], restarts: [], movedRoutes: existing.movedRoutes ?? [], ...countsOf(journal.since(existing.journalStart), iteration.name), ...(existing.report ? {report: existing.report} : {})};
		}
		if (existing?.status === 'rolling-back') {
			throw new NetmigrateError(`a rollback of iteration ${index + 1} (${iteration.name}) was interrupted`, {hint: `finish it first: \`netmigrate rollback --iteration ${index + 1}\``});
		}
		const resumed = existing !== undefined && (existing.status === 'running' || existing.status === 'failed');
		const mode: Mode = resumed ? existing.mode : (options.mode ?? iteration.mode ?? 'live');
		const record: IterationProgress = resumed
			? {...existing, status: 'running'}
			: {
					name: iteration.name,
					index,
					status: 'running',
					mode,
					operator: operatorName(),
					toolVersion: toolVersion(),
					startedAt: new Date().toISOString(),
					journalStart: journal.lastSeq,
					steps: Object.fromEntries(steps.map((step) => [step.name, {status: 'pending'} satisfies StepProgress])),
				};
		progress.save(record);
		options.emit({type: 'run-start', run: 'apply', iteration: iteration.name, index, mode, resumed});

		const context: ExecutorContext = {
			engine,
			compose: composeProjectOf(loaded, options.host),
			journal,
			iteration: iteration.name,
			run: 'apply',
			emit: options.emit,
			stopRequested: options.stopRequested ?? (() => false),
			concurrency: options.concurrency ?? 8,
		};
		const prober = new Prober(engine, options.probeImage);
		await Prober.sweep(engine);
		let results: {checks: CheckResult[]; health: HealthResult[]} = {checks: record.checks ?? [], health: record.health ?? []};
		let engineVersion = '';
		let manifest: BackupManifest | undefined = readBackup(root, iteration.name);
		let current: StepInfo | undefined;
		const memo: {planned?: IterationPlan} = {};
		try {
			for (const step of steps) {
				current = step;
				const state = progress.iteration(iteration.name)?.steps[step.name];
				if (state?.status === 'done') {
					options.emit({type: 'step-skip', step: step.name, title: step.title, reason: 'done before the interruption'});
					continue;
				}
				if (context.stopRequested()) throw new StopRequested(`stopped before ${step.title}`);
				let started = performance.now();
				progress.setStep(iteration.name, step.name, {status: 'running', startedAt: new Date().toISOString()});
				let summary = '';
				switch (step.name) {
					case 'preflight': {
						options.emit({type: 'step-start', step: step.name, title: step.title, total: 0});
						const fresh = loadStackPlan(options.planFile, iteration.name);
						const discovered = await discover(engine, fresh.project.projectName);
						const {facts, problems} = await preflight(engine, plan, iteration, fresh.project, discovered, loaded.locate);
						engineVersion = facts.engineVersion;
						options.emit({type: 'log', level: 'info', message: `Docker ${facts.engineVersion} (API ${facts.apiVersion}), Compose ${facts.composeVersion}`});
						if (problems.length > 0) {
							throw new NetmigrateError(`preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed`, {problems, code: 'bad-input'});
						}
						summary = 'engine, compose, plan, subnets and services ready';
						break;
					}
					case 'backup': {
						options.emit({type: 'step-start', step: step.name, title: step.title, total: 0});
						manifest = await backup(engine, options.host, loaded.project, plan, iteration.name);
						summary = `${manifest.files.length} files and ${manifest.snapshots.length} snapshots in .netmigrate/backups/${iteration.name}/`;
						break;
					}
					case 'checks': {
						options.emit({type: 'step-start', step: step.name, title: step.title, total: iteration.checks.length});
						const fresh = loadStackPlan(options.planFile, iteration.name);
						const health = await checkHealth(engine, fresh.project.projectName);
						const checks = await runChecks(iteration.checks, {engine, project: fresh.project, prober, emit: options.emit});
						results = {checks, health};
						progress.update(iteration.name, (item) => {
							item.checks = checks;
							item.health = health;
						});
						const failed = checks.filter((check) => !check.ok);
						const unhealthy = health.filter((item) => !item.ok);
						if (failed.length > 0 || unhealthy.length > 0) {
							throw new NetmigrateError(
								[
									failed.length > 0 ? `${failed.length} of ${checks.length} checks failed: ${failed.map((check) => `${check.from} → ${check.to}${check.via ? ` via ${check.via}` : ''} (${check.detail})`).join('; ')}` : '',
									unhealthy.length > 0 ? `unhealthy: ${unhealthy.map((item) => `${item.container} (${item.state}, ${item.health})`).join(', ')}` : '',
								].filter(Boolean).join('; '),
								{hint: 'fix the cause and run the same command again to re-run the checks, or roll back (`netmigrate rollback`)'},
							);
						}
						summary = `${checks.length} checks passed, ${health.length} containers healthy`;
						break;
					}
					case 'report': {
						options.emit({type: 'step-start', step: step.name, title: step.title, total: 0});
						const finishedAt = new Date().toISOString();
						const fresh = loadStackPlan(options.planFile, iteration.name);
						const [networks, membership, routes] = await Promise.all([engine.listNetworks(), membershipOf(engine, fresh.project.projectName), defaultRoutesOf(engine, options.host, fresh.project.projectName)]);
						const movedRoutes = movedDefaultRoutes(manifest?.defaultRoutes ?? {}, routes);
						for (const move of movedRoutes) {
							options.emit({type: 'log', level: 'warn', message: `${move.container}'s default route moved from ${move.before ?? 'none'} to ${move.after ?? 'none'}: its outbound traffic now leaves through ${move.after ?? 'no network'}`});
						}
						progress.update(iteration.name, (item) => {
							item.movedRoutes = movedRoutes;
						});
						engineVersion ||= (await engine.version()).version;
						const text = renderReport({
							plan,
							index,
							stackRoot: root,
							mode,
							operator: record.operator,
							toolVersion: record.toolVersion,
							engineVersion,
							startedAt: record.startedAt,
							finishedAt,
							networks,
							membership,
							checks: results.checks,
							health: results.health,
							...(manifest ? {backup: manifest} : {}),
							restarts: restartsOf(journal.since(record.journalStart), iteration.name),
							defaultRoutes: {checked: Object.keys(routes).length, moved: movedRoutes},
							allowLists: iteration.firewall.map((rule) => ({
								service: rule.service,
								variable: rule.variable,
								value: fresh.project.services.get(rule.service)?.environment.find((entry) => entry.key === rule.variable)?.value ?? '(from an env file)',
							})),
						});
						const file = writeReport(root, `${String(index + 1).padStart(2, '0')}-${iteration.name}-${finishedAt.replace(/[:.]/g, '-')}.md`, text);
						progress.update(iteration.name, (item) => {
							item.report = file;
						});
						summary = `report written to ${path.relative(root, file)}`;
						break;
					}
					default: {
						const actions = await stepActions(step.name, options, loaded, engine, journal, record, mode, memo);
						// Asked before the step starts, so its clock does not run while the operator reads.
						if (actions.length > 0 && options.confirm && !(await options.confirm(step, actions))) {
							throw new StopRequested(`declined before ${step.title}`);
						}
						if (options.confirm) started = performance.now();
						options.emit({type: 'step-start', step: step.name, title: step.title, total: actions.length});
						const known = outcomes(journal.since(record.journalStart), iteration.name, 'apply');
						const result = await runActions(step.name, actions, context, known);
						progress.setStep(iteration.name, step.name, {done: actions.length, total: actions.length});
						summary = actions.length === 0 ? 'nothing to do' : `${result.applied} applied${result.already > 0 ? `, ${result.already} already in place` : ''}`;
					}
				}
				progress.setStep(iteration.name, step.name, {status: 'done', finishedAt: new Date().toISOString()});
				options.emit({type: 'step-done', step: step.name, title: step.title, durationMs: Math.round(performance.now() - started), summary});
			}
		} catch (error) {
			const stopped = error instanceof StopRequested;
			const message = error instanceof Error ? error.message : String(error);
			if (current) {
				progress.setStep(iteration.name, current.name, {
					status: stopped ? 'pending' : 'failed',
					...(stopped ? {} : {error: message, ...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {})}),
				});
				if (!stopped) options.emit({type: 'step-failed', step: current.name, title: current.title, error: message, ...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {})});
			}
			progress.update(iteration.name, (item) => {
				item.status = 'failed';
				item.error = stopped ? `stopped: ${message}` : message;
			});
			if (stopped) {
				options.emit({type: 'run-stopped', run: 'apply', iteration: iteration.name, message: `${message}; progress is saved — run the same command again to resume, or \`netmigrate rollback\``});
			}
			throw error;
		} finally {
			await prober.close();
		}
		const finished = progress.update(iteration.name, (item) => {
			item.status = 'done';
			item.finishedAt = new Date().toISOString();
			delete item.error;
		});
		const durationMs = Date.parse(finished.finishedAt as string) - Date.parse(finished.startedAt);
		const restarts = restartsOf(journal.since(record.journalStart), iteration.name);
		options.emit({type: 'run-done', run: 'apply', iteration: iteration.name, durationMs, ...(finished.report ? {report: finished.report} : {}), summary: `${results.checks.filter((check) => check.ok).length}/${results.checks.length} checks passed`});
		return {status: 'done', iteration: iteration.name, index, durationMs, checks: results.checks, health: results.health, restarts, movedRoutes: finished.movedRoutes ?? [], ...countsOf(journal.since(record.journalStart), iteration.name), ...(finished.report ? {report: finished.report} : {})};
	} finally {
		lock.release();
	}
}

/**
 * A step's actions: the list recorded when it started (a resumed run replays exactly it), else
 * taken from this run's plan of the whole iteration — made once, at the first step that needs
 * it, from the files and containers as they are then, like the plan the operator reviewed — and
 * recorded before anything of the step is done.
 */
async function stepActions(step: StepName, options: RunOptions, loaded: LoadedPlan, engine: Engine, journal: Journal, record: IterationProgress, mode: Mode, memo: {planned?: IterationPlan}): Promise<Action[]> {
	const recorded = plannedActions(journal.since(record.journalStart), record.name, 'apply', step);
	if (recorded) return recorded;
	if (!memo.planned) {
		const fresh = loadStackPlan(options.planFile, record.name);
		const discovered = await discover(engine, fresh.project.projectName);
		memo.planned = planIteration(fresh.plan, record.index, fresh.project, discovered, mode);
		for (const note of memo.planned.notes) options.emit({type: 'log', level: 'info', message: note});
	}
	const actions = memo.planned.steps.find((item) => item.name === step)?.actions ?? [];
	journal.append({run: 'apply', iteration: record.name, step, id: `${step}-plan`, phase: 'planned', actions});
	return actions;
}

function restartsOf(runEntries: JournalEntry[], iteration: string): Array<{services: string[]; durationMs: number}> {
	const entries = runEntries.filter((entry) => entry.iteration === iteration && entry.run === 'apply');
	const recreates = new Map(entries.filter((entry) => entry.phase === 'intent' && entry.action?.kind === 'service.recreate').map((entry) => [entry.id, entry.action as ServiceRecreate]));
	return entries
		.filter((entry) => entry.phase === 'done' && recreates.has(entry.id))
		.map((entry) => {
			const action = recreates.get(entry.id) as ServiceRecreate;
			return {services: [action.service, ...action.dependents], durationMs: entry.durationMs ?? 0};
		});
}

/** Networks this run created and services it joined to new networks, from the journal. */
function countsOf(runEntries: JournalEntry[], iteration: string): {networksCreated: number; servicesMultihomed: number} {
	const done = actionsOf(runEntries, iteration, 'apply').filter((item) => item.outcome === 'done');
	const joined = new Set(done.filter((item) => item.step === 'multihome' && (item.action.kind === 'network.connect' || item.action.kind === 'service.recreate')).map((item) => ('service' in item.action ? item.action.service : '')));
	return {networksCreated: done.filter((item) => item.action.kind === 'network.create').length, servicesMultihomed: joined.size};
}

function chooseApplyIteration(names: string[], progress: ProgressView, requested: number | undefined): number {
	if (requested !== undefined) {
		if (requested < 1 || requested > names.length) throw new NetmigrateError(`the plan has ${names.length} iterations; there is no iteration ${requested}`, {code: 'bad-input', hint: `pass --iteration between 1 and ${names.length}`});
		const earlier = names.slice(0, requested - 1).findIndex((name) => progress.iteration(name)?.status !== 'done');
		if (earlier >= 0) {
			throw new NetmigrateError(`iteration ${earlier + 1} (${names[earlier]}) is not done yet`, {code: 'bad-input', hint: `iterations run in order: apply iteration ${earlier + 1} first`});
		}
		return requested - 1;
	}
	const next = names.findIndex((name) => progress.iteration(name)?.status !== 'done');
	if (next < 0) throw new NetmigrateError('every iteration of the plan is done', {code: 'bad-input', hint: 'add the next iteration to netmigrate.yml, or roll back with `netmigrate rollback`'});
	return next;
}

/** The newest iteration that changed something and is not rolled back. */
function chooseRollbackIteration(names: string[], progress: ProgressView, requested: number | undefined): number {
	const active = (name: string) => {
		const status = progress.iteration(name)?.status;
		return status !== undefined && status !== 'pending' && status !== 'rolled-back';
	};
	if (requested !== undefined) {
		if (requested < 1 || requested > names.length) throw new NetmigrateError(`the plan has ${names.length} iterations; there is no iteration ${requested}`, {code: 'bad-input'});
		const later = names.slice(requested).findIndex(active);
		if (later >= 0) {
			throw new NetmigrateError(`iteration ${requested + later + 1} (${names[requested + later]}) is applied after it`, {code: 'bad-input', hint: `roll back newest first: \`netmigrate rollback --iteration ${requested + later + 1}\``});
		}
		return requested - 1;
	}
	for (let index = names.length - 1; index >= 0; index--) if (active(names[index] as string)) return index;
	return -1;
}

/**
 * The inverse of what the journal says this iteration did, in an order that works: files
 * restored from the backup first (recreates must see the old definitions), then live network
 * changes undone newest first, then recreated services recreated again from the restored
 * files, then the networks netmigrate created removed once empty.
 */
export function rollbackActions(root: string, record: IterationProgress, manifest: BackupManifest | undefined): Action[] {
	const applied = actionsOf(readJournal(root, record.journalStart), record.name, 'apply');
	const restores: FileWrite[] = [];
	const seenFiles = new Set<string>();
	for (const {action} of applied) {
		if (action.kind !== 'file.write' || seenFiles.has(action.path)) continue;
		seenFiles.add(action.path);
		const backedUp = manifest?.files.find((file) => file.path === action.path);
		if (!backedUp) continue;
		const content = backedUpContent(root, record.name, backedUp).toString('utf8');
		const current = readFileState(action.path);
		if (current?.sha256 === backedUp.sha256) continue;
		restores.push({kind: 'file.write', path: action.path, mode: backedUp.mode, sha256Before: current?.sha256 ?? '', sha256After: backedUp.sha256, content, previous: current?.content.toString('utf8') ?? '', reason: 'restore from backup'});
	}
	const live: Action[] = [];
	for (const {action} of [...applied].reverse()) {
		if (action.kind === 'network.connect') live.push({...action, kind: 'network.disconnect'});
		if (action.kind === 'network.disconnect') live.push({...action, kind: 'network.connect'});
	}
	const recreated = new Map<string, ServiceRecreate>();
	for (const {action} of applied) if (action.kind === 'service.recreate') recreated.set(action.service, {...action, reason: 'back to the restored definition'});
	const removals: Action[] = [];
	for (const {action} of [...applied].reverse()) if (action.kind === 'network.create') removals.push({...action, kind: 'network.remove'});
	return [...restores, ...live, ...recreated.values(), ...removals];
}

export type RollbackPreview = {iteration: string; index: number; actions: Action[]; nothingToDo: boolean};

export function previewRollback(planFile: string, iteration?: number): RollbackPreview {
	const {loaded, progress} = loadWithProgress(planFile, readProgress);
	const index = chooseRollbackIteration(loaded.plan.iterations.map((item) => item.name), progress, iteration);
	if (index < 0) return {iteration: '', index: -1, actions: [], nothingToDo: true};
	const record = progress.iteration((loaded.plan.iterations[index] as {name: string}).name);
	if (!record || record.status === 'rolled-back' || record.status === 'pending') return {iteration: record?.name ?? '', index, actions: [], nothingToDo: true};
	return {iteration: record.name, index, actions: rollbackActions(loaded.project.root, record, readBackup(loaded.project.root, record.name)), nothingToDo: false};
}

export async function rollbackIteration(options: RunOptions): Promise<RollbackResult> {
	const {loaded, progress} = loadForRun(options.planFile);
	const root = loaded.project.root;
	const names = loaded.plan.iterations.map((item) => item.name);
	const index = chooseRollbackIteration(names, progress, options.iteration);
	const name = index >= 0 ? (names[index] as string) : '';
	const record = index >= 0 ? progress.iteration(name) : undefined;
	if (!record || record.status === 'rolled-back' || record.status === 'pending') {
		options.emit({type: 'log', level: 'info', message: 'nothing to roll back: no iteration has changed the stack'});
		return {iteration: name, index, durationMs: 0, restoredFiles: [], verified: [], nothingToDo: true};
	}
	const lock = acquireLock(root, `rollback --iteration ${index + 1}`);
	if (lock.tookOverStale) options.emit({type: 'log', level: 'warn', message: `took over a stale lock left by pid ${lock.tookOverStale.pid} (${lock.tookOverStale.command})`});
	const started = Date.now();
	try {
		const engine = await connectEngine(options.host);
		const journal = new Journal(root);
		const manifest = readBackup(root, name);
		const resumed = record.status === 'rolling-back' && record.rollbackJournalStart !== undefined;
		const since = resumed ? (record.rollbackJournalStart as number) : journal.lastSeq;
		progress.update(name, (item) => {
			item.status = 'rolling-back';
			item.rollbackJournalStart = since;
		});
		options.emit({type: 'run-start', run: 'rollback', iteration: name, index, resumed});
		await Prober.sweep(engine);
		const recorded = resumed ? plannedActions(journal.since(since), name, 'rollback', 'rollback') : undefined;
		const actions = recorded ?? rollbackActions(root, record, manifest);
		if (!recorded) journal.append({run: 'rollback', iteration: name, step: 'rollback', id: 'rollback-plan', phase: 'planned', actions});
		options.emit({type: 'step-start', step: 'rollback', title: 'Roll back', total: actions.length});
		if (actions.length > 0 && options.confirm && !(await options.confirm({name: 'report', title: 'Roll back', changesHost: true}, actions))) {
			throw new StopRequested('declined before rolling back');
		}
		const context: ExecutorContext = {
			engine,
			compose: composeProjectOf(loaded, options.host),
			journal,
			iteration: name,
			run: 'rollback',
			emit: options.emit,
			stopRequested: options.stopRequested ?? (() => false),
			concurrency: options.concurrency ?? 8,
		};
		const stepStarted = performance.now();
		await runActions('rollback', actions, context, outcomes(journal.since(since), name, 'rollback'));
		options.emit({type: 'step-done', step: 'rollback', title: 'Roll back', durationMs: Math.round(performance.now() - stepStarted), summary: `${actions.length} inverse actions`});

		options.emit({type: 'step-start', step: 'verify', title: 'Verify against the backup snapshot', total: 0});
		const differences = await verifyAgainstBackup(engine, loaded, manifest, actions);
		if (differences.length > 0) {
			progress.update(name, (item) => {
				item.error = `rollback verification: ${differences.join('; ')}`;
			});
			throw new NetmigrateError(`the rollback finished, but the stack differs from the snapshot: ${differences.join('; ')}`, {hint: 'look at the differences above; run `netmigrate rollback` again after fixing them'});
		}
		const stillMoved = movedDefaultRoutes(manifest?.defaultRoutes ?? {}, await defaultRoutesOf(engine, options.host, loaded.project.projectName));
		for (const move of stillMoved) {
			options.emit({type: 'log', level: 'warn', message: `${move.container}'s default route leaves through ${move.after ?? 'no network'}, not ${move.before ?? 'none'} as before (the engine picks it among the networks the container is on)`});
		}
		const verified = [`${manifest?.files.length ?? 0} files byte-identical (sha256)`, `${Object.keys(manifest?.membership ?? {}).length} containers on exactly their networks from before`];
		options.emit({type: 'step-done', step: 'verify', title: 'Verify against the backup snapshot', durationMs: 0, summary: verified.join(', ')});
		progress.update(name, (item) => {
			item.status = 'rolled-back';
			item.finishedAt = new Date().toISOString();
			delete item.error;
			for (const step of Object.keys(item.steps)) if (item.steps[step]?.status !== 'pending') (item.steps[step] as StepProgress).status = 'rolled-back';
		});
		const restoredFiles = actions.filter((action): action is FileWrite => action.kind === 'file.write').map((action) => action.path);
		options.emit({type: 'run-done', run: 'rollback', iteration: name, durationMs: Date.now() - started, summary: verified.join('; ')});
		return {iteration: name, index, durationMs: Date.now() - started, restoredFiles, verified, nothingToDo: false};
	} catch (error) {
		if (error instanceof StopRequested) options.emit({type: 'run-stopped', run: 'rollback', iteration: name, message: `${error.message}; run \`netmigrate rollback\` again to finish`});
		throw error;
	} finally {
		lock.release();
	}
}

async function verifyAgainstBackup(engine: Engine, loaded: LoadedPlan, manifest: BackupManifest | undefined, actions: Action[]): Promise<string[]> {
	const differences: string[] = [];
	if (!manifest) return differences;
	for (const file of manifest.files) {
		const current = readFileState(file.path);
		if (current?.sha256 !== file.sha256) differences.push(`${path.relative(loaded.project.root, file.path)} differs from its backup`);
	}
	const now = await membershipOf(engine, loaded.project.projectName);
	for (const [container, before] of Object.entries(manifest.membership)) {
		const after = now[container];
		if (!after) differences.push(`container ${container} is gone`);
		else if (after.join(',') !== before.join(',')) differences.push(`${container} is on ${after.join(', ') || 'no network'} (before: ${before.join(', ') || 'none'})`);
	}
	for (const action of actions) {
		if (action.kind === 'network.remove' && (await engine.inspectNetwork(action.network))) differences.push(`network ${action.network} still exists`);
	}
	return differences;
}

export type StackStatus = {
	root: string;
	project: string;
	lock?: LockInfo;
	iterations: Array<{index: number; name: string; status: string; progress?: IterationProgress; interruptedAt?: string}>;
};

export function stackStatus(planFile: string): StackStatus {
	return loadStackStatus(planFile).status;
}

/** The plan (validated as `loadStackPlan` does) and every iteration's state, read once. */
export function loadStackStatus(planFile: string): {loaded: LoadedPlan; status: StackStatus} {
	const {loaded, progress} = loadWithProgress(planFile, readProgress);
	return {loaded, status: statusOf(loaded, progress)};
}

function statusOf(loaded: LoadedPlan, progress: ProgressView): StackStatus {
	const lock = readLock(loaded.project.root);
	return {
		root: loaded.project.root,
		project: loaded.project.projectName,
		...(lock ? {lock} : {}),
		iterations: loaded.plan.iterations.map((iteration, index) => {
			const record = progress.iteration(iteration.name);
			const interrupted = record && (record.status === 'running' || record.status === 'failed' || record.status === 'rolling-back') ? steps.find((step) => record.steps[step.name]?.status !== 'done')?.title : undefined;
			return {index, name: iteration.name, status: record?.status ?? 'pending', ...(record ? {progress: record} : {}), ...(interrupted ? {interruptedAt: interrupted} : {})};
		}),
	};
}
