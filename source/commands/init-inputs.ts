/**
 * `init`'s own input files, checked before anything is drafted: the `--tiers` table (read as
 * safely as a compose file: a regular UTF-8 file, no alias bomb, a YAML mapping) and the
 * `--output` path (its folder must exist, and it must not be a folder), so a typo in either
 * is reported naming the flag and the fix rather than as a raw file-system error.
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import {isMap, LineCounter} from 'yaml';
import {NetmigrateError} from '../errors.js';
import {readInputText} from '../input-file.js';
import type {TierRule} from '../plan/draft.js';
import {parseYamlInput, yamlData} from '../yaml-input.js';

/**
 * A YAML map of image repository or service name → tiers, tried before the catalog:
 * `{ myapp: [frontend, backend], tdarr: [transcode] }`. A tier may be one of the built-in six
 * or a new one of yours (`media`, `arr`, `transcode`, `egress`): it becomes `<tier>-net`.
 */
export function readTierRules(file: string): TierRule[] {
	const absolute = path.resolve(file);
	let text: string;
	try {
		text = readInputText(absolute, {namedBy: '--tiers'});
	} catch (error) {
		if (error instanceof NetmigrateError) throw error;
		const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
		throw new NetmigrateError(`--tiers ${file}: ${missing ? 'no such file' : (error as Error).message}`, {
			where: {file: absolute},
			hint: missing ? 'fix the path given to --tiers (relative to the current folder)' : "check the file's permissions",
			code: 'bad-input',
		});
	}
	const lines = new LineCounter();
	const document = parseYamlInput(absolute, text, {lineCounter: lines});
	const problem = document.errors[0];
	if (problem) {
		throw new NetmigrateError(`--tiers ${file}: invalid YAML: ${problem.message.split('\n')[0]}`, {
			where: {file: absolute, line: lines.linePos(problem.pos[0]).line},
			hint: 'fix the YAML syntax there; the table is a mapping such as `{myapp: [frontend, backend]}`',
			code: 'bad-input',
		});
	}
	const raw = yamlData(document, absolute, lines);
	if (raw !== null && raw !== undefined && !isMap(document.contents)) {
		throw new NetmigrateError(`--tiers ${file} is not a mapping of image or service name to tiers`, {
			where: {file: absolute, line: 1},
			hint: 'write it as `myapp: [frontend, backend]`, one name per line',
			code: 'bad-input',
		});
	}
	const rules: TierRule[] = [];
	for (const [keyword, tiers] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
		const list = (Array.isArray(tiers) ? tiers : [tiers]).map(String);
		const bad = list.filter((tier) => !/^[a-z0-9][a-z0-9-]*$/.test(tier));
		if (bad.length > 0)
			throw new NetmigrateError(`${file}: tier name ${bad.join(', ')} for ${keyword} is not lowercase letters, digits and dashes`, {
				code: 'bad-input',
				hint: 'built-in tiers are dmz, frontend, backend, download, mgmt, security; new ones are allowed',
			});
		rules.push({match: [keyword.toLowerCase()], tiers: list});
	}
	return rules;
}

/** `--output`'s folder exists and the path is no folder itself. */
export function checkOutput(output: string, given: boolean): void {
	const flag = given ? '--output ' : '';
	const folder = path.dirname(output);
	let info;
	try {
		info = statSync(folder);
	} catch {
		throw new NetmigrateError(`${flag}${output}: the folder ${folder} does not exist`, {
			hint: `create it first (\`mkdir -p ${folder}\`) or give --output a path in an existing folder`,
			code: 'bad-input',
		});
	}
	if (!info.isDirectory())
		throw new NetmigrateError(`${flag}${output}: ${folder} is not a folder`, {
			hint: 'give --output a path in an existing folder',
			code: 'bad-input',
		});
	try {
		if (statSync(output).isDirectory())
			throw new NetmigrateError(`${flag}${output} is a folder`, {
				hint: `give --output a file name, e.g. ${path.join(output, 'netmigrate.yml')}`,
				code: 'bad-input',
			});
	} catch (error) {
		if (error instanceof NetmigrateError) throw error;
	}
}
