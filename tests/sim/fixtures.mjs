// Fixture account seen by the simulated WhatsApp Web. The page receives this
// object through /sim/config.json and builds its collections from it, so the
// Node side and the page always agree on ids.

/**
 * @typedef {object} FixtureContact
 * @property {string} phone  phone-number wid (`…@c.us`)
 * @property {string} lid    LID wid (`…@lid`)
 * @property {boolean} lidMapped  whether WhatsApp knows phone ↔ lid for this contact
 * @property {string} name   address-book name
 * @property {string} pushname  name the contact set for themselves
 */

/**
 * @typedef {object} FixtureGroup
 * @property {string} id       group wid (`…@g.us`)
 * @property {string} subject  group name
 * @property {readonly string[]} participants  fixture keys of the members ('me' included)
 */

export const fixtures = Object.freeze({
  me: Object.freeze({
    phone: '15550000001@c.us',
    lid: '90000000001@lid',
    pushname: 'Operator',
  }),
  /** @type {Readonly<Record<'alice' | 'bob' | 'carol', FixtureContact>>} */
  contacts: Object.freeze({
    alice: Object.freeze({
      phone: '15551110001@c.us',
      lid: '81110001@lid',
      lidMapped: true,
      name: 'Alice',
      pushname: 'Alice A.',
    }),
    bob: Object.freeze({
      phone: '15551110002@c.us',
      lid: '81110002@lid',
      lidMapped: true,
      name: 'Bob',
      pushname: 'Bobby',
    }),
    // Carol is a saved contact, but WhatsApp has no phone <-> LID mapping for
    // her: presence arrives under her LID and cannot be mapped back.
    carol: Object.freeze({
      phone: '15551110003@c.us',
      lid: '81110003@lid',
      lidMapped: false,
      name: 'Carol',
      pushname: 'Carol C.',
    }),
  }),
  /** @type {Readonly<Record<'group', FixtureGroup>>} */
  groups: Object.freeze({
    group: Object.freeze({
      id: '120363000000000001@g.us',
      subject: 'Sales team',
      participants: Object.freeze(['alice', 'bob', 'me']),
    }),
  }),
  /** Chats in the chat list, as fixture keys (Carol has no chat). */
  chats: Object.freeze(['alice', 'bob', 'group']),
});

/** @typedef {'alice' | 'bob' | 'carol'} ContactKey */
/** @typedef {'alice' | 'bob' | 'carol' | 'group' | 'me'} FixtureKey */
