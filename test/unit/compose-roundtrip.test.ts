import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {LineCounter, parseDocument} from 'yaml';
import {EditableFile} from '../../source/compose/editable.js';
import {ComposeEditor} from '../../source/compose/edits.js';
import {loadComposeProject} from '../../source/compose/project.js';
import {unintendedChange} from '../../source/compose/verify.js';
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

const everyComposeFile = ['examples', 'test/golden', 'test/corpus', 'test/unit/fixtures'].flatMap((folder) => yamlFiles(path.join(repoRoot, folder)));

test('parse → no edit → write is byte-identical for every compose file in the repository', () => {
	assert.ok(everyComposeFile.length >= 20, `found ${everyComposeFile.length} files`);
	for (const file of everyComposeFile) {
		const text = readFileSync(file, 'utf8');
		const document = parseDocument(text, {merge: true} as never);
		const editable = new EditableFile({path: file, text, document, lines: new LineCounter(), mode: 0o644});
		if (document.errors.length === 0) {
			editable.apply([], () => undefined, 'write the file back');
			assert.equal(unintendedChange(text, text, () => undefined), undefined, file);
		}
		assert.equal(editable.text, text, file);
	}
});

test('edits that are already true change no byte of the example stack', () => {
	const model = loadComposeProject(exampleStack, ['docker-compose.yml']);
	const editor = new ComposeEditor(model);
	for (const service of model.services.values()) {
		if (service.namespaceOf || service.namespaceContainer || service.networkModeOther) continue;
		editor.addNetworks(service.name, service.networks);
	}
	const gluetun = model.services.get('gluetun');
	assert.ok(gluetun, 'the example has a gluetun service');
	const change = editor.ensureAllowList('gluetun', 'FIREWALL_OUTBOUND_SUBNETS', ['172.18.0.0/16', '172.18.5.0/24']);
	assert.deepEqual(change.added, []);
	assert.deepEqual(editor.changes(), []);
	assert.deepEqual(editor.notes, []);
});
