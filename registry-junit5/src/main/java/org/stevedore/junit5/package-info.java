/**
 * JUnit 5 support: {@link org.stevedore.junit5.RegistryExtension} runs an embedded registry per
 * test class (static field) or per test (instance field). Published API.
 */
package org.stevedore.junit5;
