import * as E from 'fp-ts/lib/Either.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * An XML element with its namespace resolved: `ns` is the namespace URI
 * (empty when none), `local` the name without its prefix. Attributes are
 * keyed by their local name (prefixed attributes other than `xmlns` keep
 * their prefix), text is the concatenation of the element's own text and
 * CDATA children.
 *
 * @category model
 */
export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: ReadonlyArray<XmlElement>;
  readonly text: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const textOf = (nodes: ReadonlyArray<OrderedNode>): string =>
  nodes
    .map((node) => {
      if ('#text' in node) {
        return String(node['#text']);
      }
      const cdata = node['#cdata'];

      return Array.isArray(cdata) ? textOf(cdata as OrderedNode[]) : '';
    })
    .join('');

const build = (
  node: OrderedNode,
  scope: ReadonlyMap<string, string>,
): XmlElement | undefined => {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name.startsWith('#') || name.startsWith('?')) {
    return undefined;
  }
  const raw = (node[':@'] ?? {}) as Record<string, string>;
  const inner = new Map(scope);
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'xmlns') {
      inner.set('', value);
    } else if (key.startsWith('xmlns:')) {
      inner.set(key.slice(6), value);
    }
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'xmlns' && !key.startsWith('xmlns:')) {
      const colon = key.indexOf(':');
      attributes[colon < 0 ? key : key.slice(colon + 1)] = value;
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const content = (node[name] ?? []) as OrderedNode[];
  const children = content
    .map((child) => build(child, inner))
    .filter((c): c is XmlElement => c !== undefined);

  return {
    ns: inner.get(prefix) ?? '',
    local: colon < 0 ? name : name.slice(colon + 1),
    attributes,
    children,
    text: textOf(content),
  };
};

/**
 * Parses an XML document into its root element, resolving every prefix to
 * its namespace URI. Malformed XML is a `Left` with the parser's reason.
 *
 * @category utils
 */
export const parseXml = (text: string): E.Either<string, XmlElement> => {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return E.left(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const nodes = parser.parse(text) as OrderedNode[];
  for (const node of nodes) {
    const root = build(node, new Map([['xml', 'xml']]));
    if (root !== undefined) {
      return E.right(root);
    }
  }

  return E.left('malformed XML: no root element');
};

/** The first child with this namespace and local name. @category utils */
export const childOf = (
  element: XmlElement | undefined,
  ns: string,
  local: string,
): XmlElement | undefined =>
  element?.children.find((c) => c.ns === ns && c.local === local);

/** Every child with this namespace and local name. @category utils */
export const childrenOf = (
  element: XmlElement | undefined,
  ns: string,
  local: string,
): ReadonlyArray<XmlElement> =>
  element?.children.filter((c) => c.ns === ns && c.local === local) ?? [];

/**
 * The element at the end of a path of `[ns, local]` steps, each the first
 * match among the children of the previous one.
 *
 * @category utils
 */
export const pathOf = (
  element: XmlElement | undefined,
  ...steps: ReadonlyArray<readonly [string, string]>
): XmlElement | undefined =>
  steps.reduce<XmlElement | undefined>(
    (at, [ns, local]) => childOf(at, ns, local),
    element,
  );

/** Every descendant (depth first) with this name. @category utils */
export const descendantsOf = (
  element: XmlElement,
  ns: string,
  local: string,
): ReadonlyArray<XmlElement> =>
  element.children.flatMap((c) => [
    ...(c.ns === ns && c.local === local ? [c] : []),
    ...descendantsOf(c, ns, local),
  ]);

/**
 * Text escaped for an XML text node or a double-quoted attribute.
 *
 * @category utils
 */
export const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
