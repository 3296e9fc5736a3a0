package org.mediasec.ng;

/**
 * A value of an ng document: what bencode can carry (integers, byte strings, lists, dictionaries), and so also what
 * rtpengine keeps of a JSON document (it converts JSON into bencode values on receipt).
 */
public sealed interface NgValue permits NgInteger, NgString, NgList, NgDictionary {

    /** A short description of the kind of value, for error reasons ("a string", "a list"). */
    String kind();
}
