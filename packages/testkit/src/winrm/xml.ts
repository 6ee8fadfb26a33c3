import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A request element as the simulated WinRM server reads it: namespace URI
 * and local name (never the prefix), attributes by local name, text with
 * CDATA included, and child elements.
 *
 * @category testing
 */
export interface SimXmlNode {
  readonly uri: string;
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
  readonly kids: ReadonlyArray<SimXmlNode>;
}

type Raw = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const toNode = (
  raw: Raw,
  bindings: ReadonlyMap<string, string>,
): SimXmlNode | undefined => {
  const tag = Object.keys(raw).find((key) => key !== ':@');
  if (tag === undefined || tag.startsWith('#')) {
    return undefined;
  }
  const given = (raw[':@'] ?? {}) as Record<string, string>;
  const scope = new Map(bindings);
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      scope.set(key === 'xmlns' ? '' : key.slice(6), value);
    } else {
      attrs[key.includes(':') ? key.slice(key.indexOf(':') + 1) : key] = value;
    }
  }
  const [prefix, local] = tag.includes(':')
    ? [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)]
    : ['', tag];
  const content = (raw[tag] ?? []) as Raw[];
  let text = '';
  const kids: SimXmlNode[] = [];
  for (const item of content) {
    if ('#text' in item) {
      text += String(item['#text']);
    } else if ('#cdata' in item) {
      text += (item['#cdata'] as Raw[])
        .map((c) => String(c['#text'] ?? ''))
        .join('');
    } else {
      const kid = toNode(item, scope);
      if (kid !== undefined) {
        kids.push(kid);
      }
    }
  }

  return { uri: scope.get(prefix) ?? '', name: local, attrs, text, kids };
};

/**
 * Parses a request body; `undefined` when it is not well-formed XML.
 *
 * @category testing
 */
export const parseSimXml = (text: string): SimXmlNode | undefined => {
  if (XMLValidator.validate(text) !== true) {
    return undefined;
  }
  for (const raw of parser.parse(text) as Raw[]) {
    const node = toNode(raw, new Map());
    if (node !== undefined) {
      return node;
    }
  }

  return undefined;
};

/** The first child with a namespace URI and local name. @category testing */
export const kid = (
  node: SimXmlNode | undefined,
  uri: string,
  name: string,
): SimXmlNode | undefined =>
  node?.kids.find((k) => k.uri === uri && k.name === name);

/** Every child with a namespace URI and local name. @category testing */
export const kids = (
  node: SimXmlNode | undefined,
  uri: string,
  name: string,
): ReadonlyArray<SimXmlNode> =>
  node?.kids.filter((k) => k.uri === uri && k.name === name) ?? [];

/** Text for XML content or attributes. @category testing */
export const xmlText = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
