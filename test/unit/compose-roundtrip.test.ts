import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {structuredPatch} from 'diff';
import {LineCounter, parseDocument} from 'yaml';
import {EditableFile} from '../../source/compose/editable.js';
import {ComposeEditor} from '../../source/compose/edits.js';
import {loadComposeProject} from '../../source/compose/project.js';
import {unintendedChange} from '../../source/compose/verify.js';
import {NetmigrateError} from '../../source/errors.js';
import {exampleStack, repoRoot} from '../harness/engine.js';

function yamlFiles(folder: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(folder)) {
		const full = path.join(folder, entry);
		// Plan files (netmigrate.yml, test/corpus/plans) are not compose files.
		if (statSync(full).isDirectory()) found.push(...(entry === 'plans' ? [] : yamlFiles(full)));
		else if (/\.ya?ml$/.test(entry) && !/^netmigrate\.ya?ml$/.test(entry)) found.push(full);
	}
	return found;
}

const everyComposeFile = ['examples', 'test/golden', 'test/corpus', 'test/unit/fixtures'].flatMap((folder) =>
	yamlFiles(path.join(repoRoot, folder)),
);

test('parse → no edit → write is byte-identical for every compose file in the repository', () => {
	assert.ok(everyComposeFile.length >= 20, `found ${everyComposeFile.length} files`);
	for (const file of everyComposeFile) {
		const text = readFileSync(file, 'utf8');
		const document = parseDocument(text, {merge: true} as never);
		const editable = new EditableFile({path: file, text, document, lines: new LineCounter(), mode: 0o644});
		if (document.errors.length === 0) {
			editable.apply([], () => undefined, 'write the file back');
			assert.equal(
				unintendedChange(text, text, () => undefined),
				undefined,
				file,
			);
		}
		assert.equal(editable.text, text, file);
	}
});

test('edits that are already true change no byte of the example stack', () => {
	const model = loadComposeProject(exampleStack, ['docker-compose.yml']);
	const editor = new ComposeEditor(model);
	for (const service of model.services.values()) {
		if (service.namespaceOf || service.namespaceContainer || service.networkModeOther) continue;
		editor.addNetworksToServices([[service.name, service.networks]]);
	}
	const gluetun = model.services.get('gluetun');
	assert.ok(gluetun, 'the example has a gluetun service');
	const change = editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.18.0.0/16', '172.18.5.0/24']);
	assert.deepEqual(change.added, []);
	assert.deepEqual(editor.changes(), []);
	assert.deepEqual(editor.notes, []);
});

test('attaching every service of every loadable stack in the repository only adds lines, or is refused with a NetmigrateError', () => {
	const stacks = [...new Set(everyComposeFile.map((file) => path.dirname(file)))].filter((folder) =>
		/docker-compose\.ya?ml$|compose\.ya?ml$/.test(readdirSync(folder).join('\n')),
	);
	let attached = 0;
	for (const folder of stacks) {
		const rootFile = readdirSync(folder).find((entry) => /^(docker-)?compose\.ya?ml$/.test(entry)) as string;
		let model: ReturnType<typeof loadComposeProject>;
		try {
			model = loadComposeProject(folder, [rootFile]);
		} catch {
			continue; // the corpus holds stacks that are bad input on purpose
		}
		for (const service of model.services.values()) {
			if (service.namespaceOf || service.namespaceContainer || service.networkModeOther) continue;
			const editor = new ComposeEditor(model);
			try {
				editor.addNetworksToServices([[service.name, ['zz-probe-net']]]);
			} catch (error) {
				assert.ok(error instanceof NetmigrateError, `${folder} ${service.name}: ${(error as Error).stack}`);
				continue;
			}
			for (const change of editor.changes()) {
				const lines = structuredPatch('a', 'b', change.before, change.after).hunks.flatMap((hunk) => hunk.lines);
				// A flow list (`networks: [proxy]`) is edited inside its brackets: that one line changes, by exactly the new entry.
				const extended = (line: string) => lines.includes(`+${line.slice(1).replace(/\]$/, ', zz-probe-net]')}`);
				const removed = lines.filter((line) => line.startsWith('-') && !extended(line));
				assert.deepEqual(removed, [], `${change.path} (${service.name})`);
			}
			attached++;
		}
	}
	assert.ok(attached >= 30, `attached ${attached} services`);
});
