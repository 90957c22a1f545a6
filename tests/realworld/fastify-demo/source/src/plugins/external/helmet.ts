import helmet from '@fastify/helmet'

export const autoConfig = {
  // Set plugin options here
}

/**
 * This plugins sets the basic security headers.
 *
 * @see {@link https://github.com/fastify/fastify-helmet}
 */
export default helmet
