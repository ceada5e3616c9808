// The seed's Product model defaults through every door (JSON, forms, the browsable API, the admin),
// each rule the DRF 3.14 code it copies, on both databases:
//   description = TextField(blank=True, default='')   stock = PositiveIntegerField(default=0)
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeEachDialect, uniqueName, type DialectContext } from '../helpers.js';
import { formBody, SessionClient } from '../sessions/session-client.js';
import { type ProductBody, REQUIRED, NULL, INVALID_INTEGER } from './product-support.js';
import type { ProductTables } from '../../src/products/product-table.js';

const PASSWORD = 'correct horse battery';
const FORM = 'application/x-www-form-urlencoded';

/** A multipart/form-data body of plain fields. */
function multipart(fields: readonly (readonly [string, string])[]): { body: string; contentType: string } {
  const boundary = '----keygate-defaults-boundary';
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: `${parts.join('')}--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describeEachDialect(
  'Product model defaults (DRF ModelSerializer fields built from the seed model)',
  (ctx: () => DialectContext) => {
    let authorization: string;
    let staffName: string;

    before(async () => {
      const user = await ctx().keygate.users.createUser({
        username: uniqueName('alice'),
        password: PASSWORD,
      });
      authorization = `Token ${(await ctx().keygate.tokens.getOrCreate(user)).key}`;
      staffName = uniqueName('staff');
      await ctx().keygate.users.createUser({ username: staffName, password: PASSWORD, isStaff: true });
    });

    async function send(
      method: InjectOptions['method'],
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ): Promise<LightMyRequestResponse> {
      return ctx().app.inject({
        method,
        url,
        headers: { authorization, ...headers },
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
    }

    function assertErrors(response: LightMyRequestResponse, errors: Record<string, string[]>): void {
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.body, JSON.stringify(errors));
    }

    async function created(response: LightMyRequestResponse): Promise<ProductBody> {
      assert.equal(response.statusCode, 201, response.body);
      const product = response.json<ProductBody>();
      // What the 201 says is what was stored.
      const row = await ctx()
        .keygate.database.db.withTables<ProductTables>()
        .selectFrom('products')
        .select(['description', 'stock'])
        .where('id', '=', product.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        { description: row.description, stock: Number(row.stock) },
        {
          description: product.description,
          stock: product.stock,
        },
      );
      return product;
    }

    async function stored(id: number): Promise<ProductBody> {
      const response = await send('GET', `/product_api/${id}/`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<ProductBody>();
    }

    describe('POST', () => {
      // field_mapping.get_field_kwargs gives required=False (has_default() / blank); validate_empty_values
      // then get_default raise SkipField, and Product.objects.create(**validated_data) applies the model defaults.
      it('without description and stock: 201 with "" and 0 (the model defaults), JSON', async () => {
        const product = await created(
          await send('POST', '/product_api/', { name: 'Coffee', price: '20.48' }),
        );
        assert.equal(product.description, '');
        assert.equal(product.stock, 0);
        assert.deepEqual(await stored(product.id), product);
      });

      it('without description and stock: the same from a urlencoded and a multipart form', async () => {
        const form = await created(
          await send('POST', '/product_api/', 'name=Tea&price=3.50', { 'content-type': FORM }),
        );
        assert.deepEqual([form.description, form.stock], ['', 0]);
        const { body, contentType } = multipart([
          ['name', 'Mug'],
          ['price', '9.99'],
        ]);
        const multi = await created(
          await send('POST', '/product_api/', body, { 'content-type': contentType }),
        );
        assert.deepEqual([multi.description, multi.stock], ['', 0]);
      });

      // CharField.run_validation: '' (or whitespace alone, trim_whitespace) returns '' when allow_blank.
      it('description "", "   " and "\\t\\n" are accepted and stored as ""', async () => {
        for (const description of ['', '   ', '\t\n', '\u3000']) {
          const product = await created(
            await send('POST', '/product_api/', { name: 'Coffee', description, price: '1.00', stock: 2 }),
          );
          assert.equal(product.description, '', JSON.stringify(description));
        }
      });

      // Field.validate_empty_values: None with allow_null False (the model fields are not null=True).
      it('null is still refused: This field may not be null.', async () => {
        assertErrors(
          await send('POST', '/product_api/', {
            name: 'Coffee',
            description: null,
            price: '1.00',
            stock: null,
          }),
          { description: [NULL], stock: [NULL] },
        );
      });

      it('name and price stay required', async () => {
        assertErrors(await send('POST', '/product_api/', { description: 'x', stock: 1 }), {
          name: [REQUIRED],
          price: [REQUIRED],
        });
      });

      // Field.get_value: in a form (html.is_html_input), '' for a field that is not required and does not
      // allow blank is `empty`: stock= means "no stock given". In JSON "" is a value, and no integer.
      it('a form\'s empty stock= means "not given" (0); JSON\'s "stock": "" is not an integer', async () => {
        const form = await created(
          await send('POST', '/product_api/', 'name=Tea&description=&price=3.50&stock=', {
            'content-type': FORM,
          }),
        );
        assert.deepEqual([form.description, form.stock], ['', 0]);
        const { body, contentType } = multipart([
          ['name', 'Mug'],
          ['description', ''],
          ['price', '9.99'],
          ['stock', ''],
        ]);
        const multi = await created(
          await send('POST', '/product_api/', body, { 'content-type': contentType }),
        );
        assert.deepEqual([multi.description, multi.stock], ['', 0]);
        assertErrors(await send('POST', '/product_api/', { name: 'Tea', price: '1', stock: '' }), {
          stock: [INVALID_INTEGER],
        });
      });
    });

    describe('PUT and PATCH', () => {
      async function product(): Promise<ProductBody> {
        return created(
          await send('POST', '/product_api/', {
            name: 'Coffee',
            description: 'Beans',
            price: '20.48',
            stock: 7,
          }),
        );
      }

      // ModelSerializer.update sets only what validated_data holds; a skipped field keeps its value.
      it('PUT without description and stock keeps the stored values (ModelSerializer.update)', async () => {
        const before = await product();
        const response = await send('PUT', `/product_api/${before.id}/`, { name: 'Tea', price: '3.50' });
        assert.equal(response.statusCode, 200, response.body);
        const after = response.json<ProductBody>();
        assert.deepEqual(
          { name: after.name, description: after.description, price: after.price, stock: after.stock },
          { name: 'Tea', description: 'Beans', price: '3.50', stock: 7 },
        );
        assert.deepEqual(await stored(before.id), after);
      });

      it('PUT with description "" and stock 0 sets them', async () => {
        const before = await product();
        const response = await send('PUT', `/product_api/${before.id}/`, {
          name: 'Tea',
          description: '  ',
          price: '3.50',
          stock: 0,
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(
          [response.json<ProductBody>().description, response.json<ProductBody>().stock],
          ['', 0],
        );
      });

      it('PUT from a form with stock= keeps the stock; description= empties the description', async () => {
        const before = await product();
        const response = await send(
          'PUT',
          `/product_api/${before.id}/`,
          'name=Tea&description=&price=3.50&stock=',
          {
            'content-type': FORM,
          },
        );
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(
          [response.json<ProductBody>().description, response.json<ProductBody>().stock],
          ['', 7],
        );
      });

      it('PUT still needs name and price; null is refused', async () => {
        const before = await product();
        assertErrors(await send('PUT', `/product_api/${before.id}/`, { description: null, stock: 1 }), {
          name: [REQUIRED],
          description: [NULL],
          price: [REQUIRED],
        });
        assert.deepEqual(await stored(before.id), before);
      });

      it('PATCH is unchanged: only the given fields; "" empties the description; null is refused', async () => {
        const before = await product();
        const blank = await send('PATCH', `/product_api/${before.id}/`, { description: '' });
        assert.equal(blank.statusCode, 200, blank.body);
        assert.deepEqual([blank.json<ProductBody>().description, blank.json<ProductBody>().stock], ['', 7]);
        assertErrors(await send('PATCH', `/product_api/${before.id}/`, { stock: null }), { stock: [NULL] });
        const form = await send('PATCH', `/product_api/${before.id}/`, 'stock=', { 'content-type': FORM });
        assert.equal(form.statusCode, 200, form.body);
        assert.equal(form.json<ProductBody>().stock, 7);
      });
    });

    describe('the browsable API', () => {
      let client: SessionClient;

      before(async () => {
        const username = uniqueName('browser');
        await ctx().keygate.users.createUser({ username, password: PASSWORD });
        client = new SessionClient(ctx().app);
        assert.equal((await client.login(username, PASSWORD)).statusCode, 302);
      });

      // The HTML form comes from OPTIONS' field metadata: "required": false for description and stock.
      it('the HTML form marks only name and price as required', async () => {
        const page = await client.send({
          method: 'GET',
          url: '/product_api/',
          headers: { accept: 'text/html' },
        });
        assert.equal(page.statusCode, 200);
        const body = page.body;
        assert.match(
          body,
          /<label for="field-name">Name <span class="required" aria-hidden="true">\*<\/span><\/label>/,
        );
        assert.match(
          body,
          /<label for="field-price">Price <span class="required" aria-hidden="true">\*<\/span><\/label>/,
        );
        assert.match(body, /<label for="field-description">Description<\/label>/);
        assert.match(body, /<label for="field-stock">Stock<\/label>/);
        assert.match(body, /<textarea id="field-description" name="description" rows="3">/);
        assert.match(
          body,
          /<input id="field-stock" name="stock" type="number" inputmode="numeric" value="" min="0" max="2147483647">/,
        );
        assert.match(
          body,
          /<input id="field-name" name="name" type="text" inputmode="text" value="" required maxlength="100">/,
        );
      });

      it('posting the HTML form with description and stock left empty creates "" and 0', async () => {
        const csrfmiddlewaretoken = await client.tokenFrom('/product_api/');
        const response = await client.send({
          method: 'POST',
          url: '/product_api/',
          headers: { accept: 'application/json', 'content-type': FORM },
          payload: formBody({ name: 'Kettle', description: '', price: '30', stock: '', csrfmiddlewaretoken }),
        });
        const product = await created(response);
        assert.deepEqual([product.description, product.stock], ['', 0]);
      });
    });

    describe('the admin product form', () => {
      let admin: SessionClient;

      before(async () => {
        admin = new SessionClient(ctx().app);
        const login = await admin.postForm('/admin/login/', {
          username: staffName,
          password: PASSWORD,
          next: '/admin/',
        });
        assert.equal(login.statusCode, 302);
      });

      async function addedProduct(response: LightMyRequestResponse) {
        assert.equal(response.statusCode, 302, response.body);
        const id = Number(String(response.headers.location).split('/')[3]);
        return ctx()
          .keygate.database.db.withTables<ProductTables>()
          .selectFrom('products')
          .select(['name', 'description', 'stock'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
      }

      it('the add form: description and stock are not required; stock starts at the default 0', async () => {
        const page = await admin.send({ method: 'GET', url: '/admin/products/add/' });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<label for="id_name" class="required">Name<\/label>/);
        assert.match(page.body, /<label for="id_price" class="required">Price<\/label>/);
        assert.match(page.body, /<label for="id_description">Description<\/label>/);
        assert.match(page.body, /<label for="id_stock">Stock<\/label>/);
        assert.match(page.body, /<input id="id_stock" name="stock" type="text" value="0"/);
      });

      it('a blank description saves as ""; a missing or empty stock saves as 0', async () => {
        const blank = await addedProduct(
          await admin.postForm('/admin/products/add/', {
            name: 'Blank',
            description: '   ',
            price: '1.00',
            stock: '2',
            _continue: '1',
          }),
        );
        assert.deepEqual(
          { ...blank, stock: Number(blank.stock) },
          { name: 'Blank', description: '', stock: 2 },
        );
        const missing = await addedProduct(
          await admin.postForm('/admin/products/add/', { name: 'No stock', price: '1.00', _continue: '1' }),
        );
        assert.deepEqual(
          { ...missing, stock: Number(missing.stock) },
          { name: 'No stock', description: '', stock: 0 },
        );
        const empty = await addedProduct(
          await admin.postForm('/admin/products/add/', {
            name: 'Empty',
            price: '1.00',
            stock: '',
            _continue: '1',
          }),
        );
        assert.equal(Number(empty.stock), 0);
      });

      it('the change form saves a blank description', async () => {
        const row = await addedProduct(
          await admin.postForm('/admin/products/add/', {
            name: 'Change me',
            description: 'Words',
            price: '1.00',
            stock: '5',
            _continue: '1',
          }),
        );
        assert.equal(row.description, 'Words');
        const found = await ctx()
          .keygate.database.db.withTables<ProductTables>()
          .selectFrom('products')
          .select('id')
          .where('name', '=', 'Change me')
          .executeTakeFirstOrThrow();
        const url = `/admin/products/${found.id}/change/`;
        const changed = await admin.postForm(url, {
          name: 'Change me',
          description: '',
          price: '1.00',
          stock: '5',
        });
        assert.equal(changed.statusCode, 302, changed.body);
        const after = await stored(Number(found.id));
        assert.deepEqual([after.description, after.stock], ['', 5]);
      });
    });
  },
);
