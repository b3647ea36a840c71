/**
 * `netmigrate map [--iteration N] [--format text|json|mermaid]`: who is on which network now,
 * and after iteration N (default: the one `apply` would run next, the last once all are done).
 * "Now" is the running containers when the engine answers (or what `readNow` reads), else the
 * compose files — and the map says which.
 */
import {NetmigrateError} from '../errors.js';
import type {IntendedStack} from '../plan/intent.js';
import type {LoadedPlan} from '../plan/load.js';
import {plannedMap} from '../plan/map.js';
import {mapJson, renderMapMermaid, renderMapText} from '../plan/map-render.js';
import {loadStackStatus} from '../run.js';
import {runningStackOn} from '../session.js';
import {iterationIndex, type CommonOptions} from './options.js';

export type MapFormat = 'text' | 'json' | 'mermaid';

export type MapCommandOptions = CommonOptions & {format: MapFormat};

/** Reads the running stack (source/plan/map.ts `runningStack`); undefined when no engine answers. Default: `runningStackOn(--host)`. */
export type ReadNow = (loaded: LoadedPlan) => Promise<IntendedStack | undefined>;

export function mapFormatOf(value: string | undefined): MapFormat {
	if (value === undefined) return 'text';
	if (value === 'text' || value === 'json' || value === 'mermaid') return value;
	throw new NetmigrateError(`--format ${value} is not a map format`, {code: 'bad-input', hint: 'use --format text, json or mermaid'});
}

export async function mapCommand(options: MapCommandOptions, write: (text: string) => void, readNow?: ReadNow): Promise<number> {
	const {loaded, status} = loadStackStatus(options.plan);
	const index = iterationIndex(loaded, status, options.iteration);
	const now = await (readNow ?? ((plan: LoadedPlan) => runningStackOn(options.host, plan)))(loaded);
	const map = plannedMap(loaded.project, loaded.plan, index, now);
	if (options.format === 'json' || options.json) write(JSON.stringify(mapJson(map)));
	else if (options.format === 'mermaid') write(renderMapMermaid(map));
	else write(renderMapText(map, Math.max(60, process.stdout.columns ?? 80)).join('\n'));
	return 0;
}
