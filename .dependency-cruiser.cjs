/**
 * cnm's architecture, written down and checked by `npm test` (test/architecture.test.ts runs depcruise):
 *
 *   cli ──▶ commands ──▶ { render, logs, azure, lib } ──▶ { parse, io } ──▶ core
 *
 * - core/    pure: the condition engine, causes, diagnosis, reports, errors. Imports nothing but itself.
 * - parse/   pure: one file a format, and the registry of formats. Imports core (and zod).
 * - io/      bytes only: line streams, needle scans, bounded reads. Knows no format.
 * - azure/   the SDK: clients, credentials, blob state, send once. logs/: sources (files, $logs, Log Analytics).
 * - lib/     the public library (`import('cnm')`); testing/: the public `cnm/testing`.
 * - render/  reports to text; commands/: options → adapters → core → report; cli/: the program and the one catch.
 *
 * Nothing imports cli/; no cycles; core and parse do no I/O.
 */
const NODE_IO = '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|child_process|worker_threads|os|readline)$';

/** A rule that forbids `from` importing anything in src/ outside `allowed` (folders under src/). */
function onlyImports(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: '^src/', pathNot: `^src/(${[from, ...allowed].join('|')})/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: split out what both need.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-cli',
      comment:
        'The CLI wires options to commands and prints; no layer below may depend on it (the library would load it).',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'core-and-parse-do-no-io',
      comment: 'The pure core and the parsers touch no file, socket or process: adapters do.',
      severity: 'error',
      from: { path: '^src/(core|parse)/' },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'core-and-parse-no-sdk-or-terminal',
      comment: 'No Azure SDK, no terminal libraries in the pure layers.',
      severity: 'error',
      from: { path: '^src/(core|parse)/' },
      to: { path: '(^|/)node_modules/(@azure/|chalk|cli-table3|commander)' },
    },
    {
      name: 'core-imports-no-package',
      comment: 'core is plain TypeScript: validation libraries belong to the parsers.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'] },
    },
    onlyImports('core-stands-alone', 'core', [], 'core depends on nothing else in src/.'),
    onlyImports('parse-on-core', 'parse', ['core'], 'A parser turns text into core values.'),
    onlyImports('io-is-bytes', 'io', ['core'], 'io/ reads bytes and lines; it knows no format (parse/ does).'),
    onlyImports('render-reads-reports', 'render', ['core'], 'Renderers read reports; they fetch nothing.'),
    onlyImports('azure-adapter', 'azure', ['core', 'parse'], 'The SDK adapter knows no command and no log source.'),
    onlyImports(
      'logs-adapter',
      'logs',
      ['azure', 'parse', 'io', 'core'],
      'Sources read files, $logs and Log Analytics.',
    ),
    onlyImports(
      'lib-public',
      'lib',
      ['azure', 'parse', 'core'],
      'The public library loads no CLI, command or renderer.',
    ),
    onlyImports(
      'testing-public',
      'testing',
      ['azure', 'lib', 'parse', 'io', 'core'],
      'cnm/testing: load checks and the fault proxy.',
    ),
    onlyImports(
      'commands-wire',
      'commands',
      ['render', 'logs', 'azure', 'lib', 'parse', 'io', 'core'],
      'Commands call adapters and the core.',
    ),
    onlyImports('cli-on-top', 'cli', ['commands', 'render', 'core'], 'The CLI reaches adapters only through commands.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
