'use strict'

const timeline = {
  timeline: {
    body: {
      type: 'object',
      required: [ ],
      properties: { },
      additionalProperties: false
    }
  }
}

module.exports = {
  timeline
}
