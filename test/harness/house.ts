/**
 * Reads the house's shape for the architecture test: every source file under source/, steps/
 * and state/, the project files each one imports (static, type-only and dynamic imports), and
 * the length of each file and each function, through the TypeScript compiler's own parser.
 */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export type SourceFile = {file: string; lines: number; imports: string[]; functions: Array<{name: string; line: number; lines: number}>};

export function readHouse(repoRoot: string, folders = ['source', 'steps', 'state']): SourceFile[] {
	return folders.flatMap((folder) => listSources(path.join(repoRoot, folder))).map((file) => readSource(repoRoot, file));
}

function listSources(folder: string): string[] {
	return readdirSync(folder, {withFileTypes: true}).flatMap((entry) => {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) return listSources(full);
		return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

function readSource(repoRoot: string, file: string): SourceFile {
	const text = readFileSync(file, 'utf8');
	const source = ts.createSourceFile(
		file,
		text,
		ts.ScriptTarget.Latest,
		true,
		file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
	);
	const imports: string[] = [];
	const functions: SourceFile['functions'] = [];
	const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
	const visit = (node: ts.Node): void => {
		const specifier = moduleSpecifier(node);
		if (specifier?.startsWith('.')) imports.push(resolveImport(repoRoot, file, specifier));
		if (ts.isFunctionLike(node) && 'body' in node && node.body) {
			const start = lineOf(node.getStart(source));
			functions.push({name: functionName(node), line: start, lines: lineOf(node.getEnd()) - start + 1});
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return {file: path.relative(repoRoot, file), lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), imports, functions};
}

function moduleSpecifier(node: ts.Node): string | undefined {
	if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
		return node.moduleSpecifier.text;
	if (
		ts.isCallExpression(node) &&
		node.expression.kind === ts.SyntaxKind.ImportKeyword &&
		node.arguments[0] &&
		ts.isStringLiteral(node.arguments[0])
	)
		return node.arguments[0].text;
	return undefined;
}

/** `./x.js` as written in ESM source → the repo-relative .ts/.tsx file it names. */
function resolveImport(repoRoot: string, from: string, specifier: string): string {
	const target = path.resolve(path.dirname(from), specifier);
	const base = target.replace(/\.(js|cjs|mjs)$/, '');
	for (const candidate of [`${base}.ts`, `${base}.tsx`, target]) {
		try {
			readFileSync(candidate);
			return path.relative(repoRoot, candidate);
		} catch {
			// try the next spelling
		}
	}
	return path.relative(repoRoot, target);
}

function functionName(node: ts.SignatureDeclaration): string {
	if (node.name && ts.isIdentifier(node.name)) return node.name.text;
	const parent = node.parent;
	if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
	if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
	return '(anonymous)';
}

/** Every import cycle, each as the list of files around it. */
export function importCycles(files: SourceFile[]): string[][] {
	const graph = new Map(files.map((file) => [file.file, file.imports]));
	const cycles: string[][] = [];
	const state = new Map<string, 'open' | 'closed'>();
	const trail: string[] = [];
	const walk = (file: string): void => {
		state.set(file, 'open');
		trail.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), next]);
			else if (!state.has(next)) walk(next);
		}
		trail.pop();
		state.set(file, 'closed');
	};
	for (const file of graph.keys()) if (!state.has(file)) walk(file);
	return cycles;
}
