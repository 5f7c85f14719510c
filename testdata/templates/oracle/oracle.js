'use strict';
// Backstage's fetch:template, outside Backstage: the same nunjucks build
// and settings as plugins/scaffolder-backend's SecureTemplater, the same
// default filters, the workflow runner's rendering of step inputs
// (NunjucksWorkflowRunner.render) and the file handling of
// templateActionHandler.ts, writing a JSON description of the output tree
// instead of files. Usage: node oracle.js testdata/templates
const fs = require('fs');
const path = require('path');
const nunjucks = require('nunjucks');
const globby = require('globby');
const { isBinaryFileSync } = require('isbinaryfile');
const get = require('lodash/get');
const trim = require('lodash/trim');
const YAML = require('yaml');

// parseRepoUrl from @backstage/plugin-scaffolder-node; the integration type
// of a host is taken from the default integrations (github for the rest),
// as portico does.
function integrationType(host) {
  if (host === 'bitbucket.org' || host === 'www.bitbucket.org') return 'bitbucket';
  if (host === 'dev.azure.com') return 'azure';
  if (host === 'gitlab.com') return 'gitlab';
  return 'github';
}

function parseRepoUrl(repoUrl) {
  let parsed;
  try {
    parsed = new URL(`https://${repoUrl}`);
  } catch (error) {
    throw new Error(`Invalid repo URL passed to publisher, got ${repoUrl}, ${error}`);
  }
  const host = parsed.host;
  const type = integrationType(host);
  const p = {};
  for (const param of ['owner', 'organization', 'workspace', 'project', 'repo']) {
    p[param] = parsed.searchParams.has(param) ? trim(parsed.searchParams.get(param), '/') : undefined;
  }
  const required = (...names) => {
    for (const n of names) {
      if (!parsed.searchParams.get(n)) {
        throw new Error(`Invalid repo URL passed to publisher: ${parsed.toString()}, missing ${n}`);
      }
    }
  };
  switch (type) {
    case 'bitbucket':
      if (host === 'www.bitbucket.org') required('workspace');
      required('project', 'repo');
      break;
    case 'azure':
      required('project', 'repo');
      break;
    case 'gitlab':
      if (!p.project) required('owner', 'repo');
      break;
    default:
      required('repo', 'owner');
  }
  return { host, owner: p.owner, repo: p.repo, organization: p.organization, workspace: p.workspace, project: p.project };
}

// parseEntityRef from @backstage/catalog-model.
function parseRefString(ref) {
  let colonI = ref.indexOf(':');
  const slashI = ref.indexOf('/');
  if (slashI !== -1 && slashI < colonI) colonI = -1;
  const kind = colonI === -1 ? undefined : ref.slice(0, colonI);
  const namespace = slashI === -1 ? undefined : ref.slice(colonI + 1, slashI);
  const name = ref.slice(Math.max(colonI + 1, slashI + 1));
  if (kind === '' || namespace === '' || name === '') {
    throw new TypeError(`Entity reference "${ref}" was not on the form [<kind>:][<namespace>/]<name>`);
  }
  return { kind, namespace, name };
}

function parseEntityRef(ref, context) {
  if (!ref) throw new Error('Entity reference must not be empty');
  const defaultKind = context && context.defaultKind;
  const defaultNamespace = (context && context.defaultNamespace) || 'default';
  let kind, namespace, name;
  if (typeof ref === 'string') {
    const parsed = parseRefString(ref);
    kind = parsed.kind ?? defaultKind;
    namespace = parsed.namespace ?? defaultNamespace;
    name = parsed.name;
  } else {
    kind = ref.kind ?? defaultKind;
    namespace = ref.namespace ?? defaultNamespace;
    name = ref.name;
  }
  if (!kind) throw new Error(`Entity reference ${JSON.stringify(ref)} had missing or empty kind`);
  if (!namespace) throw new Error(`Entity reference ${JSON.stringify(ref)} had missing or empty namespace`);
  if (!name) throw new Error(`Entity reference ${JSON.stringify(ref)} had missing or empty name`);
  return { kind, namespace, name };
}

const defaultFilters = {
  parseRepoUrl: url => parseRepoUrl(url),
  parseEntityRef: (ref, context) => parseEntityRef(ref, context),
  pick: (obj, key) => get(obj, key),
  projectSlug: repoUrl => {
    const { owner, repo } = parseRepoUrl(repoUrl);
    return `${owner}/${repo}`;
  },
};

// SecureTemplater.loadRenderer: values cross as JSON; filters' results too
// (JSON.parse(undefined) throws, as in the sandbox).
function loadRenderer({ cookiecutterCompat, nunjucksConfigs = {} }) {
  const env = new nunjucks.Environment([], {
    autoescape: false,
    ...nunjucksConfigs,
    tags: { variableStart: '${{', variableEnd: '}}' },
  });
  const compatEnv = new nunjucks.Environment([], {
    autoescape: false,
    ...nunjucksConfigs,
    tags: { variableStart: '{{', variableEnd: '}}' },
  });
  compatEnv.addFilter('jsonify', compatEnv.getFilter('dump'));
  for (const [name, fn] of Object.entries(defaultFilters)) {
    env.addFilter(name, (...args) => JSON.parse(JSON.stringify(fn(...JSON.parse(JSON.stringify(args))))));
  }
  return (template, values) => {
    const data = JSON.parse(JSON.stringify(values));
    if (cookiecutterCompat) {
      const uninstall = nunjucks.installJinjaCompat();
      try {
        return compatEnv.renderString(String(template), data);
      } finally {
        uninstall();
      }
    }
    return env.renderString(String(template), data);
  };
}

// NunjucksWorkflowRunner.isSingleTemplateString and render.
function isSingleTemplateString(input) {
  const parsed = nunjucks.parser.parse(input, {}, { autoescape: false, tags: { variableStart: '${{', variableEnd: '}}' } });
  return parsed.children.length === 1 && !(parsed.children[0]?.children?.[0] instanceof nunjucks.nodes.TemplateData);
}

function renderInput(input, context, renderTemplate, strict) {
  return JSON.parse(JSON.stringify(input), (_key, value) => {
    try {
      if (typeof value === 'string') {
        try {
          if (isSingleTemplateString(value)) {
            const wrappedDumped = value.replace(/\${{(.+)}}/g, '${{ ( $1 ) | dump }}');
            const templated = renderTemplate(wrappedDumped, context);
            if (templated === '') return undefined;
            return JSON.parse(templated);
          }
        } catch (ex) {
          // the runner logs and falls back
        }
        const templated = renderTemplate(value, context);
        if (templated === '') return undefined;
        return templated;
      }
    } catch (e) {
      if (strict) throw e;
      return value;
    }
    return value;
  });
}

// templateActionHandler.ts, with an in-memory output.
function resolveSettings(input) {
  if (input.copyWithoutRender && input.copyWithoutTemplating) {
    throw new Error('copyWithoutRender and copyWithoutTemplating can not be used at the same time');
  }
  let copyOnlyPatterns;
  let renderFilename;
  if (input.copyWithoutRender) {
    copyOnlyPatterns = input.copyWithoutRender;
    renderFilename = false;
  } else {
    copyOnlyPatterns = input.copyWithoutTemplating;
    renderFilename = true;
  }
  if (input.templateFileExtension && (copyOnlyPatterns || input.cookiecutterCompat)) {
    throw new Error('extension incompatible with copyWithoutRender/copyWithoutTemplating and cookiecutterCompat');
  }
  let extension = false;
  if (input.templateFileExtension) {
    extension = input.templateFileExtension === true ? '.njk' : input.templateFileExtension;
    if (!extension.startsWith('.')) extension = `.${extension}`;
  }
  return { copyOnlyPatterns, renderFilename, extension };
}

function fetchTemplate(templateDir, input, out) {
  const { copyOnlyPatterns, renderFilename, extension } = resolveSettings(input);
  const targetPath = path.posix.normalize(input.targetPath ?? './');
  if (targetPath.startsWith('..') || path.posix.isAbsolute(targetPath)) throw new Error('targetPath outside the workspace');
  const opts = { cwd: templateDir, dot: true, onlyFiles: false, markDirectories: true, followSymbolicLinks: false };
  const entries = globby.sync('**/*', opts).sort();
  const nonTemplated = new Set(globby.sync(copyOnlyPatterns || [], opts));
  const context = { [input.cookiecutterCompat ? 'cookiecutter' : 'values']: input.values };
  const renderTemplate = loadRenderer({
    cookiecutterCompat: input.cookiecutterCompat,
    nunjucksConfigs: { trimBlocks: input.trimBlocks, lstripBlocks: input.lstripBlocks },
  });
  for (const location of entries) {
    let renderContents;
    let local = location;
    if (extension) {
      renderContents = path.extname(local) === extension;
      if (renderContents) local = local.slice(0, -extension.length);
      local = renderTemplate(local, context);
    } else {
      renderContents = !nonTemplated.has(location);
      if (renderFilename || renderContents) local = renderTemplate(local, context);
    }
    if (local === '' || local.startsWith('/') || local.includes('//')) continue;
    const outPath = path.posix.join(targetPath, local).replace(/\/$/, '');
    if (outPath.startsWith('..')) throw new Error(`${location} renders outside the output root`);
    if (out.files[outPath] || out.dirs.has(outPath)) continue;
    if (location.endsWith('/')) {
      out.dirs.add(outPath);
      continue;
    }
    const file = path.join(templateDir, location);
    const st = fs.lstatSync(file);
    const mode = st.isSymbolicLink() ? '120000' : st.mode & 0o111 ? '100755' : '100644';
    if (st.isSymbolicLink()) {
      out.files[outPath] = { mode, text: fs.readlinkSync(file) };
    } else if (isBinaryFileSync(file)) {
      out.files[outPath] = { mode, base64: fs.readFileSync(file).toString('base64') };
    } else {
      const contents = fs.readFileSync(file, 'utf-8');
      out.files[outPath] = { mode, text: renderContents ? renderTemplate(contents, context) : contents };
    }
    for (let d = path.posix.dirname(outPath); d !== '.'; d = path.posix.dirname(d)) out.dirs.add(d);
  }
}

function renderSample(dir) {
  const template = YAML.parse(fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'));
  const parameters = YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
  const context = { parameters, steps: {}, user: {}, secrets: {} };
  const renderTemplate = loadRenderer({});
  const out = { files: {}, dirs: new Set() };
  for (const step of template.spec.steps) {
    if (step.action !== 'fetch:template') continue;
    const input = renderInput(step.input, context, renderTemplate, true);
    fetchTemplate(path.join(dir, input.url), input, out);
  }
  return out.files;
}

function renderValueCases(file) {
  const cases = YAML.parse(fs.readFileSync(file, 'utf8'));
  const renderTemplate = loadRenderer({});
  return cases.map(c => {
    const output = renderInput({ value: c.input }, c.scope || {}, renderTemplate, false);
    let renderError = false;
    try {
      renderInput({ value: c.input }, c.scope || {}, renderTemplate, true);
    } catch (e) {
      renderError = true;
    }
    const undef = output.value === undefined;
    return { name: c.name, output: undef ? null : output.value, undefined: undef, renderError };
  });
}

function sortedObject(files) {
  const out = {};
  for (const k of Object.keys(files).sort()) out[k] = files[k];
  return out;
}

function main(base) {
  const goldenDir = path.join(base, 'golden');
  fs.mkdirSync(goldenDir, { recursive: true });
  const samples = fs.readdirSync(path.join(base, 'samples')).sort();
  for (const name of samples) {
    let result;
    try {
      result = { files: sortedObject(renderSample(path.join(base, 'samples', name))) };
    } catch (e) {
      result = { error: String(e.message) };
    }
    fs.writeFileSync(path.join(goldenDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`${name}: ${result.error ? `error ${result.error}` : `${Object.keys(result.files).length} files`}`);
  }
  const values = renderValueCases(path.join(base, 'values.yaml'));
  fs.writeFileSync(path.join(goldenDir, 'values.json'), `${JSON.stringify(values, null, 2)}\n`);
  console.log(`values: ${values.length} cases`);
}

main(process.argv[2]);
