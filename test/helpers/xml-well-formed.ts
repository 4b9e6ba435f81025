const NAME = /^[A-Za-z_][\w.:-]*$/;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)="([^"<]*)"/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

const checkText = (text: string, where: string): void => {
  if (text.replace(ENTITY, '').includes('&'))
    throw new Error(`unescaped & in ${where}: ${text.slice(0, 60)}`);
};

/**
 * Checks that `xml` is a well-formed XML document with a single root element named `root` (elements nested and
 * closed, attributes quoted, text escaped), and throws an error naming the first problem otherwise. Enough for
 * the SVG we write; no DTDs, comments or CDATA.
 */
export const assertWellFormedXml = (xml: string, root: string): void => {
  const open: string[] = [];
  let roots = 0;
  let at = 0;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const text = xml.slice(at, lt < 0 ? xml.length : lt);
    if (open.length === 0 && text.trim() !== '')
      throw new Error(`text outside the root element: ${text.trim()}`);
    checkText(text, 'text');
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const expected = open.pop();
      if (name !== expected) throw new Error(`</${name}> closes <${expected ?? 'nothing'}>`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const name = body.split(/\s/, 1)[0] ?? '';
      if (!NAME.test(name)) throw new Error(`bad element name "${name}"`);
      let rest = body.slice(name.length);
      const seen = new Set<string>();
      ATTRIBUTE.lastIndex = 0;
      while (rest.trim() !== '') {
        const match = ATTRIBUTE.exec(rest);
        if (!match) throw new Error(`bad attributes in <${name}>: ${rest.trim().slice(0, 60)}`);
        const [whole, attribute = '', value = ''] = match;
        if (seen.has(attribute)) throw new Error(`duplicate attribute ${attribute} in <${name}>`);
        seen.add(attribute);
        checkText(value, `attribute ${attribute}`);
        rest = rest.slice(whole.length);
        ATTRIBUTE.lastIndex = 0;
      }
      if (open.length === 0) {
        roots += 1;
        if (name !== root) throw new Error(`root element is <${name}>, expected <${root}>`);
      }
      if (!selfClosing) open.push(name);
    }
    at = gt + 1;
  }
  if (open.length > 0) throw new Error(`unclosed elements: ${open.join(' > ')}`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
};
