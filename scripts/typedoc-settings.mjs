// TypeDoc plugin: documents the per-setting properties of Config, ConfigOptions and KeygateOptions from the settings table.
// Those types are mapped over SETTING_DEFINITIONS, so their properties have no declaration of their own to
// carry a comment; each one takes its entry's doc comment, environment variable and default instead.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { Comment, Converter, ReferenceType, ReflectionKind } from 'typedoc';

const SETTINGS_FILE = new URL('../src/config/settings.ts', import.meta.url);
const SETTINGS_TYPES = new Set(['Config', 'ConfigOptions', 'KeygateOptions']);

/** Reads each SETTING_DEFINITIONS entry's doc comment, `env` and string `default` from the source. */
function readSettings() {
  const text = readFileSync(SETTINGS_FILE, 'utf8');
  const source = ts.createSourceFile('settings.ts', text, ts.ScriptTarget.Latest, true);
  const settings = new Map();
  function visit(node) {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'SETTING_DEFINITIONS') {
      const table = node.initializer?.arguments?.[0];
      for (const entry of table?.properties ?? []) {
        const doc = ts.getJSDocCommentsAndTags(entry).map((c) => ts.getTextOfJSDocComment(c.comment) ?? '');
        const definition = entry.initializer.arguments?.[0];
        const field = (name) => definition?.properties?.find((p) => p.name?.getText() === name)?.initializer;
        const env = field('env');
        const fallback = field('default');
        settings.set(entry.name.getText(), {
          summary: doc.join(' ').trim(),
          env: env && ts.isStringLiteral(env) ? env.text : undefined,
          fallback: fallback && ts.isStringLiteral(fallback) ? fallback.text : undefined,
        });
      }
    }
    ts.forEachChild(node, visit);
  }
  visit(source);
  return settings;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  const settings = readSettings();
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      const setting = settings.get(reflection.name);
      if (!setting || reflection.comment || !SETTINGS_TYPES.has(reflection.parent?.name)) continue;
      const parts = [{ kind: 'text', text: setting.summary }];
      if (setting.env) {
        parts.push({ kind: 'text', text: '\n\nEnvironment variable: ' });
        parts.push({ kind: 'code', text: `\`${setting.env}\`` });
      }
      if (setting.fallback !== undefined) {
        parts.push({ kind: 'text', text: '; default (as the environment spells it): ' });
        parts.push({ kind: 'code', text: `\`${setting.fallback}\`` });
      }
      reflection.comment = new Comment(parts);
    }
  });
  // KeygateOptions takes these from `Omit<ConfigOptions, …>`, whose members TypeDoc cannot link (it
  // renders `Omit.port` as a link to the page itself): point each at the ConfigOptions property instead.
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    const options =
      project.getChildByName('keygate.ConfigOptions') ?? project.getChildByName('ConfigOptions');
    for (const reflection of project.getReflectionsByKind(ReflectionKind.Property)) {
      if (reflection.inheritedFrom?.name !== `Omit.${reflection.name}`) continue;
      const source = options?.getChildByName(reflection.name);
      reflection.inheritedFrom = source
        ? ReferenceType.createResolvedReference(`ConfigOptions.${reflection.name}`, source, project)
        : undefined;
    }
  });
}
